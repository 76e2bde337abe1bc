package dev.tlsupgrade.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * One certificate of the test zoo, made to order: a leaf (or CA) with exactly the names, raw
 * extension bytes and constraints a trust rule needs, issued by {@link TestPki}'s intermediate (or by
 * a given CA, or by itself). Keys are EC P-256 unless {@link Builder#rsa(int)} says otherwise.
 */
public final class TestCertificate {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    private TestCertificate() {
    }

    public static Builder builder(String subject) {
        return new Builder(subject);
    }

    /** Settings of a {@link TestCertificate}. */
    public static final class Builder {
        private final String subject;
        private final List<GeneralName> sans = new ArrayList<>();
        private byte[] rawSan;
        private Identity issuer = TestPki.get().intermediate();
        private boolean selfSigned;
        private boolean ca;
        private final List<GeneralSubtree> permitted = new ArrayList<>();
        private final List<GeneralSubtree> excluded = new ArrayList<>();
        private int rsaBits;
        private String curve = "secp256r1";
        private String signatureAlgorithm;
        private final List<KeyPurposeId> eku = new ArrayList<>();
        private Integer keyUsage;
        private String ocspUrl;
        private BigInteger serial;
        private boolean caFlag;
        private boolean basicConstraintsCritical = true;
        private boolean nameConstraintsCritical = true;
        private final List<Extension> extra = new ArrayList<>();
        private String crlUrl;
        private boolean mustStaple;
        private boolean authorityKeyId = true;
        private boolean subjectKeyId = true;
        private boolean expired;
        private KeyPair reusedKeys;
        private int pathLength;

        private Builder(String subject) {
            this.subject = subject;
        }

        public Builder dns(String... names) {
            for (String n : names) {
                sans.add(new GeneralName(GeneralName.dNSName, n));
            }
            return this;
        }

        public Builder ip(String... addresses) {
            for (String a : addresses) {
                sans.add(new GeneralName(GeneralName.iPAddress, a));
            }
            return this;
        }

        /** The serial number, as given (zero, negative or over 20 bytes for the profile's cases). */
        public Builder serial(BigInteger value) {
            this.serial = value;
            return this;
        }

        /** basicConstraints cA=TRUE without the CA key usages (a leaf that claims to be a CA). */
        public Builder caFlag() {
            this.caFlag = true;
            return this;
        }

        /** basicConstraints marked non-critical (RFC 5280 wants it critical in CA certificates). */
        public Builder nonCriticalBasicConstraints() {
            this.basicConstraintsCritical = false;
            return this;
        }

        /** nameConstraints marked non-critical (RFC 5280 wants them critical). */
        public Builder nonCriticalNameConstraints() {
            this.nameConstraintsCritical = false;
            return this;
        }

        /** No authorityKeyIdentifier (RFC 5280 wants one in every certificate but a self-signed one). */
        public Builder noAuthorityKeyId() {
            this.authorityKeyId = false;
            return this;
        }

        /** Valid from 30 days ago until yesterday. */
        public Builder expired() {
            this.expired = true;
            return this;
        }

        /** No subjectKeyIdentifier (RFC 5280 wants one in every CA certificate). */
        public Builder noSubjectKeyId() {
            this.subjectKeyId = false;
            return this;
        }

        /** One more extension, its value's DER as given; it replaces a key identifier this builder would add. */
        public Builder extension(String oid, boolean critical, byte[] der) {
            extra.add(new Extension(new ASN1ObjectIdentifier(oid), critical, new DEROctetString(der)));
            return this;
        }

        /** An authorityInfoAccess naming {@code url} as the OCSP responder. */
        public Builder ocspUrl(String url) {
            this.ocspUrl = url;
            return this;
        }

        /** A CRL distribution point at {@code url}. */
        public Builder crlUrl(String url) {
            this.crlUrl = url;
            return this;
        }

        /** The TLS feature extension with status_request: "must-staple" (RFC 7633). */
        public Builder mustStaple() {
            this.mustStaple = true;
            return this;
        }

        /** URI subjectAltNames (a SPIFFE ID, say). */
        public Builder uri(String... uris) {
            for (String u : uris) {
                sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, u));
            }
            return this;
        }

        /** The subjectAltName extension's value, byte for byte (for malformed ones). */
        public Builder rawSubjectAltName(byte[] der) {
            this.rawSan = der.clone();
            return this;
        }

        public Builder issuer(Identity ca) {
            this.issuer = ca;
            return this;
        }

        public Builder selfSigned() {
            this.selfSigned = true;
            return this;
        }

        /** A CA certificate (basicConstraints cA, keyCertSign). */
        public Builder ca() {
            this.ca = true;
            return this;
        }

        public Builder permittedDns(String... names) {
            for (String n : names) {
                permitted.add(new GeneralSubtree(new GeneralName(GeneralName.dNSName, n)));
            }
            return this;
        }

        public Builder excludedDns(String... names) {
            for (String n : names) {
                excluded.add(new GeneralSubtree(new GeneralName(GeneralName.dNSName, n)));
            }
            return this;
        }

        /**
         * A permitted directoryName subtree, written as Bouncy Castle reads it: RDNs in encoding order,
         * the first one written the first one encoded (the JDK's {@code getName()} prints them reversed).
         */
        public Builder permittedDirectoryName(String name) {
            permitted.add(new GeneralSubtree(new GeneralName(new X500Name(name))));
            return this;
        }

        /** An excluded directoryName subtree, written as {@link #permittedDirectoryName(String)} takes it. */
        public Builder excludedDirectoryName(String name) {
            excluded.add(new GeneralSubtree(new GeneralName(new X500Name(name))));
            return this;
        }

        /** An excluded iPAddress subtree, an address and mask such as {@code 127.0.0.0/8}. */
        public Builder excludedIp(String cidr) {
            excluded.add(new GeneralSubtree(new GeneralName(GeneralName.iPAddress, cidr)));
            return this;
        }

        /** Extended key usages by OID (e.g. 2.5.29.37.0 for anyExtendedKeyUsage); none if never called. */
        public Builder eku(String... oids) {
            for (String oid : oids) {
                eku.add(KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)));
            }
            return this;
        }

        /** Key usage bits (Bouncy Castle's KeyUsage constants); if never called, the usual ones for a CA or a leaf. */
        public Builder keyUsage(int bits) {
            this.keyUsage = bits;
            return this;
        }

        /** An EC key on {@code curve} (a JDK name: secp256r1, secp384r1, secp521r1) instead of P-256. */
        public Builder ec(String curve) {
            this.curve = curve;
            return this;
        }

        public Builder rsa(int bits) {
            this.rsaBits = bits;
            return this;
        }

        public Builder signatureAlgorithm(String algorithm) {
            this.signatureAlgorithm = algorithm;
            return this;
        }

        /** A CA's pathLenConstraint: how many CAs may stand below it (0 unless set). */
        public Builder pathLength(int cas) {
            this.pathLength = cas;
            return this;
        }

        /**
         * The key of {@code other} instead of a new one: with {@code other}'s subject and another
         * issuer, a cross-sign of the same CA.
         */
        public Builder keyOf(Identity other) {
            this.reusedKeys = new KeyPair(other.certificate().getPublicKey(), other.privateKey());
            return this;
        }

        /** The certificate with its key; its chain is the certificate then its issuer's chain. */
        public Identity build(String name) {
            try {
                KeyPair keys = keys();
                PrivateKey signer = selfSigned ? keys.getPrivate() : issuer.privateKey();
                X500Name issuerName = selfSigned ? new X500Name(subject)
                        : new X500Name(issuer.certificate().getSubjectX500Principal().getName());
                Instant now = Instant.now();
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
                        serial != null ? serial : BigInteger.valueOf(SERIAL.incrementAndGet()),
                        Date.from(now.minus(Duration.ofDays(expired ? 30 : 1))),
                        Date.from(expired ? now.minus(Duration.ofDays(1)) : now.plus(Duration.ofDays(30))), new X500Name(subject),
                        keys.getPublic());
                b.addExtension(Extension.basicConstraints, basicConstraintsCritical,
                        ca ? new BasicConstraints(pathLength) : new BasicConstraints(caFlag));
                for (Extension e : extra) {
                    b.addExtension(e);
                }
                org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils ids = new org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils();
                if (subjectKeyId && extra.stream().noneMatch(e -> e.getExtnId().equals(Extension.subjectKeyIdentifier))) {
                    b.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(keys.getPublic()));
                }
                if (authorityKeyId && !selfSigned
                        && extra.stream().noneMatch(e -> e.getExtnId().equals(Extension.authorityKeyIdentifier))) {
                    b.addExtension(Extension.authorityKeyIdentifier, false, ids.createAuthorityKeyIdentifier(issuer.certificate()));
                }
                b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage != null ? keyUsage
                        : ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                if (!eku.isEmpty()) {
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku.toArray(new KeyPurposeId[0])));
                }
                if (rawSan != null) {
                    b.addExtension(new Extension(Extension.subjectAlternativeName, false, new DEROctetString(rawSan)));
                } else if (!sans.isEmpty()) {
                    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
                }
                if (ocspUrl != null) {
                    b.addExtension(Extension.authorityInfoAccess, false, new org.bouncycastle.asn1.x509.AuthorityInformationAccess(
                            org.bouncycastle.asn1.x509.X509ObjectIdentifiers.ocspAccessMethod,
                            new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl)));
                }
                if (crlUrl != null) {
                    b.addExtension(Extension.cRLDistributionPoints, false, new org.bouncycastle.asn1.x509.CRLDistPoint(
                            new org.bouncycastle.asn1.x509.DistributionPoint[] {new org.bouncycastle.asn1.x509.DistributionPoint(
                                    new org.bouncycastle.asn1.x509.DistributionPointName(new GeneralNames(new GeneralName(
                                            GeneralName.uniformResourceIdentifier, crlUrl))), null, null)}));
                }
                if (mustStaple) {
                    b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.24"), false,
                            new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Integer(5)));
                }
                if (!permitted.isEmpty() || !excluded.isEmpty()) {
                    b.addExtension(Extension.nameConstraints, nameConstraintsCritical, new NameConstraints(
                            permitted.isEmpty() ? null : permitted.toArray(new GeneralSubtree[0]),
                            excluded.isEmpty() ? null : excluded.toArray(new GeneralSubtree[0])));
                }
                String algorithm = signatureAlgorithm != null ? signatureAlgorithm
                        : signer.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
                X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                        b.build(signerBuilder(algorithm).build(signer)));
                List<X509Certificate> chain = new ArrayList<>();
                chain.add(cert);
                if (!selfSigned) {
                    chain.addAll(issuer.chain());
                    // The root is the trust anchor: the chain a server sends stops before it.
                    chain.removeIf(c -> c.equals(TestPki.get().root().certificate()));
                }
                return TestPki.get().write(name + "-" + SERIAL.incrementAndGet(), keys.getPrivate(), chain);
            } catch (GeneralSecurityException | java.io.IOException | org.bouncycastle.operator.OperatorCreationException e) {
                throw new IllegalStateException("cannot make the test certificate " + name + ": " + e, e);
            }
        }

        private KeyPair keys() throws GeneralSecurityException {
            if (reusedKeys != null) {
                return reusedKeys;
            }
            if (rsaBits > 0) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(rsaBits);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        }
    }

    /**
     * DER of an authorityKeyIdentifier whose keyIdentifier is twenty bytes of {@code fill} (which names
     * no real key), with an authorityCertSerialNumber (1234) after it if {@code withSerial}.
     */
    public static byte[] authorityKeyIdentifier(byte fill, boolean withSerial) {
        byte[] der = new byte[withSerial ? 28 : 24];
        der[0] = 0x30;
        der[1] = (byte) (der.length - 2);
        der[2] = (byte) 0x80;
        der[3] = 20;
        java.util.Arrays.fill(der, 4, 24, fill);
        if (withSerial) {
            der[24] = (byte) 0x82;
            der[25] = 2;
            der[26] = 0x04;
            der[27] = (byte) 0xd2;
        }
        return der;
    }

    /** DER of a subjectAltName whose one dNSName claims more bytes than there are. */
    public static byte[] truncatedSubjectAltName() {
        return new byte[] {0x30, 0x08, (byte) 0x82, 0x10, 'l', 'o', 'c', 'a', 'l', 'h'};
    }

    /**
     * A content signer for {@code algorithm}: the JDK's where it has the algorithm, Bouncy Castle's
     * (a private provider, never installed) for what the JDK names otherwise, such as RSASSA-PSS over SHA-1.
     */
    private static JcaContentSignerBuilder signerBuilder(String algorithm) {
        JcaContentSignerBuilder b = new JcaContentSignerBuilder(algorithm);
        return algorithm.toUpperCase(java.util.Locale.ROOT).contains("ANDMGF1")
                ? b.setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()) : b;
    }
}
