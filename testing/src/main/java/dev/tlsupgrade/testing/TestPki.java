package dev.tlsupgrade.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.jcajce.JcaCertificateID;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * A small PKI made fresh in each test JVM: a root CA, an intermediate, and server leaves that are
 * good, expired, not yet valid, for the wrong host, self-signed, or for an IP only, plus a client
 * certificate. Everything is RSA 2048 / SHA-256 (what old servers and TLS 1.0 still take), written
 * to PEM files in a temporary folder removed at exit. Nothing is checked in.
 */
public final class TestPki {
    /** The DNS names the good leaf holds. */
    public static final List<String> GOOD_NAMES = List.of("localhost", "tls.example.test");

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static volatile TestPki shared;

    private final Path dir;
    private final Identity root;
    private final Identity intermediate;
    private final Identity good;
    private final Identity expired;
    private final Identity notYetValid;
    private final Identity wrongHost;
    private final Identity selfSigned;
    private final Identity ipOnly;
    private final Identity client;
    private final Identity rootIssued;
    private final Identity weakSignature;
    private final Identity rootInChain;
    private final Identity alteredSignature;
    private final Identity benchRsa;
    private final Identity benchEcdsa;

    private TestPki() {
        try {
            dir = Files.createTempDirectory("tlsupgrade-pki");
            dir.toFile().deleteOnExit();
            Instant now = Instant.now();
            Duration day = Duration.ofDays(1);
            KeyPair rootKeys = rsa();
            X509Certificate rootCert = sign(rootKeys, "CN=tlsupgrade Test Root CA", rootKeys, null, true,
                    now.minus(day), now.plus(Duration.ofDays(3650)), List.of(), false);
            root = write("root", rootKeys.getPrivate(), List.of(rootCert));
            KeyPair interKeys = rsa();
            X509Certificate interCert = sign(interKeys, "CN=tlsupgrade Test Intermediate CA", rootKeys, rootCert, true,
                    now.minus(day), now.plus(Duration.ofDays(3650)), List.of(), false);
            intermediate = write("intermediate", interKeys.getPrivate(), List.of(interCert));

            List<GeneralName> goodNames = new ArrayList<>();
            for (String n : GOOD_NAMES) {
                goodNames.add(new GeneralName(GeneralName.dNSName, n));
            }
            goodNames.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            goodNames.add(new GeneralName(GeneralName.iPAddress, "::1"));

            good = leaf("good", "CN=localhost", goodNames, now.minus(day), now.plus(Duration.ofDays(30)), interKeys, interCert, false);
            expired = leaf("expired", "CN=localhost", goodNames, now.minus(Duration.ofDays(60)), now.minus(day),
                    interKeys, interCert, false);
            notYetValid = leaf("not-yet-valid", "CN=localhost", goodNames, now.plus(Duration.ofDays(10)),
                    now.plus(Duration.ofDays(40)), interKeys, interCert, false);
            wrongHost = leaf("wrong-host", "CN=wrong.example.test",
                    List.of(new GeneralName(GeneralName.dNSName, "wrong.example.test")), now.minus(day),
                    now.plus(Duration.ofDays(30)), interKeys, interCert, false);
            ipOnly = leaf("ip-only", "CN=127.0.0.1", List.of(new GeneralName(GeneralName.iPAddress, "127.0.0.1")),
                    now.minus(day), now.plus(Duration.ofDays(30)), interKeys, interCert, false);
            KeyPair selfKeys = rsa();
            X509Certificate selfCert = sign(selfKeys, "CN=localhost", selfKeys, null, false, now.minus(day),
                    now.plus(Duration.ofDays(30)), goodNames, false);
            selfSigned = write("self-signed", selfKeys.getPrivate(), List.of(selfCert));
            rootIssued = leaf("root-issued", "CN=localhost", goodNames, now.minus(day), now.plus(Duration.ofDays(30)),
                    rootKeys, rootCert, false);
            KeyPair weakKeys = rsa();
            X509Certificate weakCert = sign(weakKeys, "CN=localhost", interKeys, interCert, false, now.minus(day),
                    now.plus(Duration.ofDays(30)), goodNames, false, "MD5withRSA");
            weakSignature = write("weak-signature", weakKeys.getPrivate(), List.of(weakCert, interCert));
            rootInChain = write("root-in-chain", good.privateKey(), List.of(good.certificate(), interCert, rootCert));
            alteredSignature = write("altered-signature", good.privateKey(), List.of(alter(good.certificate()), interCert));
            List<GeneralName> benchNames = List.of(new GeneralName(GeneralName.dNSName, "*.bench.test"));
            benchRsa = leaf("bench-rsa", "CN=*.bench.test", benchNames, now.minus(day), now.plus(Duration.ofDays(30)),
                    interKeys, interCert, false);
            KeyPair ecKeys = ecdsa();
            benchEcdsa = write("bench-ecdsa", ecKeys.getPrivate(), List.of(sign(ecKeys, "CN=*.bench.test", interKeys, interCert,
                    false, now.minus(day), now.plus(Duration.ofDays(30)), benchNames, false), interCert));
            client = leaf("client", "CN=tlsupgrade test client", List.of(), now.minus(day), now.plus(Duration.ofDays(30)),
                    interKeys, interCert, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the test PKI: " + e, e);
        }
    }

    /** The PKI of this JVM, made on first use. */
    public static TestPki get() {
        TestPki p = shared;
        if (p == null) {
            synchronized (TestPki.class) {
                p = shared;
                if (p == null) {
                    p = new TestPki();
                    shared = p;
                }
            }
        }
        return p;
    }

    /** The root CA's certificate as a PEM file: what a client trusts. */
    public Path caPem() {
        return root.certificatePem();
    }

    public Identity root() {
        return root;
    }

    public Identity intermediate() {
        return intermediate;
    }

    /** A leaf for {@link #GOOD_NAMES}, 127.0.0.1 and ::1, issued by the intermediate; chain = leaf + intermediate. */
    public Identity good() {
        return good;
    }

    public Identity expired() {
        return expired;
    }

    public Identity notYetValid() {
        return notYetValid;
    }

    /** A valid leaf for {@code wrong.example.test} only. */
    public Identity wrongHost() {
        return wrongHost;
    }

    /** A self-signed leaf for the good names (no CA). */
    public Identity selfSigned() {
        return selfSigned;
    }

    /** A leaf whose only name is the IP SAN 127.0.0.1. */
    public Identity ipOnly() {
        return ipOnly;
    }

    /** Like {@link #good()}, but issued by the root itself: a chain of one, for servers that cannot send a chain. */
    public Identity rootIssued() {
        return rootIssued;
    }

    /** Like {@link #good()}, but signed with MD5withRSA, which the JDK refuses in certificate paths. */
    public Identity weakSignature() {
        return weakSignature;
    }

    /** {@link #good()}'s leaf and key, served with the whole chain up to and including the root. */
    /**
     * A leaf for every name under {@code bench.test} ({@code *.bench.test}) with an RSA-2048 key, or
     * with an ECDSA P-256 key: benchmarks verify host names and still defeat resumption with a fresh
     * name per handshake.
     */
    public Identity benchmark(boolean ecdsa) {
        return ecdsa ? benchEcdsa : benchRsa;
    }

    /**
     * The good leaf with one bit of its signature flipped after signing, as a faulty link or a
     * tampering middlebox would deliver it, and the intermediate that issued it.
     */
    public Identity alteredSignature() {
        return alteredSignature;
    }

    private static X509Certificate alter(X509Certificate cert) throws GeneralSecurityException {
        byte[] der = cert.getEncoded();
        der[der.length - 1] ^= 0x01;
        return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(der));
    }

    public Identity rootInChain() {
        return rootInChain;
    }

    /** A client certificate issued by the intermediate (extended key usage clientAuth). */
    public Identity client() {
        return client;
    }

    private Identity leaf(String name, String subject, List<GeneralName> sans, Instant from, Instant to, KeyPair issuerKeys,
            X509Certificate issuerCert, boolean clientAuth) throws GeneralSecurityException, OperatorCreationException,
            IOException {
        KeyPair keys = rsa();
        X509Certificate cert = sign(keys, subject, issuerKeys, issuerCert, false, from, to, sans, clientAuth);
        return write(name, keys.getPrivate(), List.of(cert, issuerCert));
    }

    private static KeyPair ecdsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(KeyPair subjectKeys, String subject, KeyPair issuerKeys, X509Certificate issuer,
            boolean ca, Instant from, Instant to, List<GeneralName> sans, boolean clientAuth)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        return sign(subjectKeys, subject, issuerKeys, issuer, ca, from, to, sans, clientAuth, "SHA256withRSA");
    }

    private static X509Certificate sign(KeyPair subjectKeys, String subject, KeyPair issuerKeys, X509Certificate issuer,
            boolean ca, Instant from, Instant to, List<GeneralName> sans, boolean clientAuth, String algorithm)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name issuerName = issuer == null ? new X500Name(subject) : new X500Name(issuer.getSubjectX500Principal().getName());
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(from), Date.from(to), new X500Name(subject), subjectKeys.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, ca ? new BasicConstraints(1) : new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, ca ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKeys.getPublic()));
        if (issuer != null) {
            b.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
        }
        if (!ca) {
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(clientAuth ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth));
        }
        if (!sans.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
    }

    Identity write(String name, PrivateKey key, List<X509Certificate> chain)
            throws IOException, GeneralSecurityException {
        Path certs = dir.resolve(name + ".crt");
        Path leafOnly = dir.resolve(name + "-leaf.crt");
        Path keyFile = dir.resolve(name + ".key");
        StringBuilder pem = new StringBuilder();
        for (X509Certificate c : chain) {
            pem.append(pem("CERTIFICATE", c.getEncoded()));
        }
        Files.writeString(certs, pem, StandardCharsets.US_ASCII);
        Files.writeString(leafOnly, pem("CERTIFICATE", chain.get(0).getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
        if (chain.size() > 1) {
            StringBuilder issuers = new StringBuilder();
            for (X509Certificate c : chain.subList(1, chain.size())) {
                issuers.append(pem("CERTIFICATE", c.getEncoded()));
            }
            Path issuerFile = dir.resolve(name + "-issuers.crt");
            Files.writeString(issuerFile, issuers, StandardCharsets.US_ASCII);
            issuerFile.toFile().deleteOnExit();
        }
        for (Path p : List.of(certs, leafOnly, keyFile)) {
            p.toFile().deleteOnExit();
        }
        return new Identity(name, chain, key, certs, leafOnly, keyFile);
    }

    /**
     * A DER-encoded OCSP response saying {@code leaf} is good, signed by its issuer {@code issuer}
     * (valid for a day): what a server staples.
     */
    public byte[] ocspResponseGood(Identity leaf, Identity issuer) {
        Instant now = Instant.now();
        return ocspResponse(leaf, issuer, issuer, "good", now, now.plus(Duration.ofDays(1)));
    }

    /**
     * An OCSP response for {@code leaf} (issued by {@code issuer}) saying {@code status} ("good",
     * "revoked" or "unknown"), valid from {@code thisUpdate} to {@code nextUpdate}, signed by
     * {@code signer} with its certificate attached (the issuer itself, or another key: the wrong
     * responder).
     */
    public byte[] ocspResponse(Identity leaf, Identity issuer, Identity signer, String status, Instant thisUpdate,
            Instant nextUpdate) {
        try {
            X509Certificate issuerCert = issuer.certificate();
            DigestCalculator sha1 = new JcaDigestCalculatorProviderBuilder()
                    .build().get(CertificateID.HASH_SHA1);
            CertificateID id = new JcaCertificateID(
                    sha1, issuerCert, leaf.certificate().getSerialNumber());
            BasicOCSPRespBuilder basic = new JcaBasicOCSPRespBuilder(
                    signer.certificate().getPublicKey(), sha1);
            CertificateStatus s = switch (status) {
                case "good" -> CertificateStatus.GOOD;
                case "revoked" -> new org.bouncycastle.cert.ocsp.RevokedStatus(Date.from(thisUpdate.minus(Duration.ofHours(1))),
                        org.bouncycastle.asn1.x509.CRLReason.keyCompromise);
                case "unknown" -> new org.bouncycastle.cert.ocsp.UnknownStatus();
                default -> throw new IllegalArgumentException(status);
            };
            basic.addResponse(id, s, Date.from(thisUpdate), Date.from(nextUpdate));
            String algorithm = signer.privateKey().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            BasicOCSPResp signed = basic.build(
                    new JcaContentSignerBuilder(algorithm).build(signer.privateKey()),
                    new X509CertificateHolder[] {new JcaX509CertificateHolder(signer.certificate())},
                    Date.from(thisUpdate));
            return new OCSPRespBuilder()
                    .build(OCSPRespBuilder.SUCCESSFUL, signed).getEncoded();
        } catch (GeneralSecurityException | OperatorCreationException | IOException
                | OCSPException e) {
            throw new IllegalStateException("cannot make an OCSP response: " + e, e);
        }
    }

    /** A CRL of {@code issuer} listing {@code revoked} as revoked, valid for a day. */
    public byte[] crl(Identity issuer, Identity... revoked) {
        try {
            Instant now = Instant.now();
            org.bouncycastle.cert.X509v2CRLBuilder b = new org.bouncycastle.cert.X509v2CRLBuilder(
                    new JcaX509CertificateHolder(issuer.certificate()).getSubject(), Date.from(now.minus(Duration.ofMinutes(5))));
            b.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
            for (Identity r : revoked) {
                b.addCRLEntry(r.certificate().getSerialNumber(), Date.from(now.minus(Duration.ofHours(1))),
                        org.bouncycastle.asn1.x509.CRLReason.keyCompromise);
            }
            String algorithm = issuer.privateKey().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return b.build(new JcaContentSignerBuilder(algorithm).build(issuer.privateKey())).getEncoded();
        } catch (OperatorCreationException | IOException | java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot make a CRL: " + e, e);
        }
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
