package dev.tlsupgrade.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tlsupgrade.FailureKind;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust decision, identical on every backend: names read from the certificate's own bytes, no CN
 * unless asked for, pins and trust on first use for self-signed servers, certificate text escaped.
 * Each case is a certificate of the zoo ({@link TestCertificate}) served by an in-process server over
 * loopback. Each backend module runs it through a one-line subclass.
 */
@org.junit.jupiter.api.extension.ExtendWith(JvmStateGuard.class)
@Timeout(60)
public abstract class TrustContract {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    protected abstract String backendName();

    private static TlsClientConfig.Builder trusting() {
        return TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem()).handshakeTimeout(WAIT);
    }

    /** Upgrades to a server presenting {@code identity} as {@code host}; null when it worked, else the failure. */
    private TlsUpgradeException attempt(Identity identity, String host, TlsClientConfig config) throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().identity(identity).start();
                TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(config)) {
            try (SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), host, server.port())) {
                assertThat(TlsHandshakeInfo.of(tls)).isPresent();
                return null;
            } catch (TlsUpgradeException e) {
                return e;
            }
        }
    }

    private void assertRefused(Identity identity, String host, TlsClientConfig config, FailureKind kind, String... words)
            throws Exception {
        TlsUpgradeException e = attempt(identity, host, config);
        assertThat(e).as(identity.name() + " for " + host + " must be refused").isNotNull();
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
        if (words.length > 0) {
            assertThat(e.getMessage()).contains(words);
        }
    }

    private void assertAccepted(Identity identity, String host, TlsClientConfig config) throws Exception {
        TlsUpgradeException e = attempt(identity, host, config);
        assertThat(e).as(identity.name() + " for " + host + " must be accepted").isNull();
    }

    @Test
    void theCommonNameIsNotUsedWhenASubjectAltNameExistsEvenUnderNameConstraints() throws Exception {
        // The JDK's name-constraint check copies the CN into getSubjectAlternativeNames(); core reads the SAN's bytes.
        Identity constrained = TestCertificate.builder("CN=tlsupgrade Constrained CA").ca().issuer(TestPki.get().root())
                .excludedDns("unrelated.test").build("constrained-ca");
        Identity leaf = TestCertificate.builder("CN=localhost").ip("127.0.0.1").issuer(constrained).build("cn-and-ip");
        assertRefused(leaf, "localhost", trusting().build(), FailureKind.HOSTNAME_MISMATCH, "IP:127.0.0.1");
        assertRefused(leaf, "localhost", trusting().allowCommonNameFallback().build(), FailureKind.HOSTNAME_MISMATCH);
        assertAccepted(leaf, "127.0.0.1", trusting().build());
    }

    @Test
    void aCertificateWithoutSubjectAltNameNeedsTheNamedFallback() throws Exception {
        Identity cnOnly = TestCertificate.builder("CN=localhost").build("cn-only");
        assertRefused(cnOnly, "localhost", trusting().build(), FailureKind.HOSTNAME_MISMATCH, "allowCommonNameFallback()");
        assertAccepted(cnOnly, "localhost", trusting().allowCommonNameFallback().build());
        Identity cnIp = TestCertificate.builder("CN=127.0.0.1").build("cn-ip");
        assertRefused(cnIp, "127.0.0.1", trusting().allowCommonNameFallback().build(), FailureKind.HOSTNAME_MISMATCH);
    }

    @Test
    void presentedNamesAreComparedAsTheyAreEncoded() throws Exception {
        for (String presented : new String[] {"localhost.", " localhost", "local host", "*.localhost", "localhost\u0000"}) {
            Identity odd = TestCertificate.builder("CN=odd").dns(presented).build("odd-name");
            assertRefused(odd, "localhost", trusting().build(), FailureKind.HOSTNAME_MISMATCH);
        }
        assertAccepted(TestCertificate.builder("CN=upper").dns("LOCALHOST").build("upper"), "localhost", trusting().build());
        assertAccepted(TestCertificate.builder("CN=wild").dns("*.example.test").build("wild"), "www.example.test",
                trusting().build());
    }

    @Test
    void aMalformedSubjectAltNameIsRefusedNotReadAsTheCommonName() throws Exception {
        Identity malformed = TestCertificate.builder("CN=localhost")
                .rawSubjectAltName(TestCertificate.truncatedSubjectAltName()).build("malformed-san");
        TlsUpgradeException e = attempt(malformed, "localhost", trusting().allowCommonNameFallback().build());
        assertThat(e).as("a certificate whose SAN cannot be parsed").isNotNull();
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(FailureKind.CERTIFICATE_UNTRUSTED);
        assertThat(e.getMessage()).contains("malformed subjectAltName");
    }

    @Test
    void theServerNameIsWhatIsVerifiedNotTheAddressConnected() throws Exception {
        Identity nameOnly = TestCertificate.builder("CN=name").dns("tls.example.test").build("name-only");
        assertAccepted(nameOnly, "127.0.0.1", trusting().serverName("tls.example.test").build());
        Identity ipOnly = TestCertificate.builder("CN=ip").ip("127.0.0.1").build("ip-only");
        assertRefused(ipOnly, "127.0.0.1", trusting().serverName("tls.example.test").build(),
                FailureKind.HOSTNAME_MISMATCH, "tls.example.test");
    }

    @Test
    void weakKeysAndSignaturesAreRefusedUnlessAskedForByName() throws Exception {
        Identity rsa1024 = TestCertificate.builder("CN=small").dns("localhost").rsa(1024).build("rsa1024");
        assertRefused(rsa1024, "localhost", trusting().build(), FailureKind.CERTIFICATE_UNTRUSTED, "certificate 0",
                "1024 bits");
        assertAccepted(rsa1024, "localhost", trusting().allowLegacyCertificates().build());
        Identity sha1Leaf = TestCertificate.builder("CN=sha1").dns("localhost").signatureAlgorithm("SHA1withRSA")
                .build("sha1-leaf");
        assertRefused(sha1Leaf, "localhost", trusting().build(), FailureKind.CERTIFICATE_UNTRUSTED, "certificate 0",
                "SHA1withRSA");
        assertAccepted(sha1Leaf, "localhost", trusting().allowLegacyCertificates().build());
        Identity sha1Ca = TestCertificate.builder("CN=tlsupgrade SHA-1 CA").ca().issuer(TestPki.get().root())
                .signatureAlgorithm("SHA1withRSA").build("sha1-ca");
        Identity underSha1Ca = TestCertificate.builder("CN=under").dns("localhost").issuer(sha1Ca).build("under-sha1-ca");
        assertRefused(underSha1Ca, "localhost", trusting().build(), FailureKind.CERTIFICATE_UNTRUSTED, "certificate 1");
    }

    @Test
    void extendedKeyUsageMustAllowTlsServers() throws Exception {
        Identity anyEku = TestCertificate.builder("CN=any").dns("localhost").eku("2.5.29.37.0").build("any-eku");
        assertRefused(anyEku, "localhost", trusting().build(), FailureKind.CERTIFICATE_UNTRUSTED, "anyExtendedKeyUsage");
        Identity serverAuth = TestCertificate.builder("CN=server").dns("localhost").eku("1.3.6.1.5.5.7.3.1")
                .build("server-eku");
        assertAccepted(serverAuth, "localhost", trusting().build());
        Identity clientCa = TestCertificate.builder("CN=tlsupgrade Client-only CA").ca().issuer(TestPki.get().root())
                .eku("1.3.6.1.5.5.7.3.2").build("client-ca");
        Identity underClientCa = TestCertificate.builder("CN=under").dns("localhost").issuer(clientCa).build("under-client-ca");
        assertRefused(underClientCa, "localhost", trusting().build(), FailureKind.CERTIFICATE_UNTRUSTED, "certificate 1");
        // A root limited to other purposes may not vouch for a TLS server either (the JDK ignores an anchor's EKU).
        assertRefused(underRoot(TestCertificate.builder("CN=tlsupgrade Client-Only Root").selfSigned().ca()
                .eku("1.3.6.1.5.5.7.3.2"), TestCertificate.builder("CN=localhost").dns("localhost")), "localhost",
                FailureKind.CERTIFICATE_UNTRUSTED, "does not include serverAuth");
    }

    @Test
    void aKeyUsageThatDoesNotAllowSigningIsTheSameKindEverywhere() throws Exception {
        Identity noSigning = TestCertificate.builder("CN=no-signing").dns("localhost")
                .keyUsage(org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment).build("no-digital-signature");
        assertRefused(noSigning, "localhost", trusting().build(), FailureKind.CERTIFICATE_UNTRUSTED);
    }

    @Test
    void nameConstraintsOfTheTrustAnchorItselfAreEnforced() throws Exception {
        Identity root = TestCertificate.builder("CN=tlsupgrade Constrained Root").ca().selfSigned()
                .permittedDns("allowed.test").build("constrained-root");
        TlsClientConfig trustingRoot = TlsClientConfig.builder().trustedCertificates(root.chain()).handshakeTimeout(WAIT)
                .build();
        Identity victim = TestCertificate.builder("CN=victim").dns("victim.test").issuer(root).build("victim");
        assertRefused(victim, "victim.test", trustingRoot, FailureKind.CERTIFICATE_UNTRUSTED, "victim.test", "allowed.test");
        Identity allowed = TestCertificate.builder("CN=allowed").dns("www.allowed.test").issuer(root).build("allowed");
        assertAccepted(allowed, "www.allowed.test", trustingRoot);
    }

    /** A wildcard that could stand for an excluded name is refused (CVE-2025-61727, nc-forbids-dnsname-wildcard-san). */
    @Test
    void aWildcardReachingAnExcludedSubtreeIsRefused() throws Exception {
        Identity ca = TestCertificate.builder("CN=tlsupgrade Sub-excluding CA").ca().issuer(TestPki.get().root())
                .excludedDns("sub.example.test").build("sub-excluding-ca");
        Identity wildcard = TestCertificate.builder("CN=wildcard").dns("*.example.test").issuer(ca).build("wildcard-leaf");
        assertRefused(wildcard, "sub.example.test", trusting().build(), FailureKind.CERTIFICATE_UNTRUSTED,
                "'*.example.test'", "sub.example.test");
        Identity other = TestCertificate.builder("CN=www").dns("www.example.test").issuer(ca).build("www-leaf");
        assertAccepted(other, "www.example.test", trusting().build());
    }

    /** An IPv4-mapped IPv6 address in the SAN is bound by IPv4 constraints, as host name matching maps it. */
    @Test
    void anIpv4MappedAddressCannotEscapeAnIpConstraint() throws Exception {
        Identity ca = TestCertificate.builder("CN=tlsupgrade Loopback-excluding CA").ca().issuer(TestPki.get().root())
                .excludedIp("127.0.0.0/8").build("loopback-excluding-ca");
        byte[] mapped = {0x30, 0x12, (byte) 0x87, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        Identity leaf = TestCertificate.builder("CN=mapped").rawSubjectAltName(mapped).issuer(ca).build("mapped-leaf");
        assertRefused(leaf, "127.0.0.1", trusting().build(), FailureKind.CERTIFICATE_UNTRUSTED, "excludes");
    }

    /** RSASSA-PSS over SHA-1 is SHA-1: refused as sha1WithRSA is, whatever the algorithm's name says. */
    @Test
    void rsassaPssWithSha1IsRefusedAsSha1() throws Exception {
        Identity pss = TestCertificate.builder("CN=localhost").dns("localhost").issuer(TestPki.get().intermediate())
                .signatureAlgorithm("SHA1withRSAandMGF1").build("pss-sha1");
        assertRefused(pss, "localhost", trusting().build(), FailureKind.CERTIFICATE_UNTRUSTED, "RSASSA-PSS with SHA-1");
        Identity pss256 = TestCertificate.builder("CN=localhost").dns("localhost").issuer(TestPki.get().intermediate())
                .signatureAlgorithm("SHA256withRSAandMGF1").build("pss-sha256");
        assertAccepted(pss256, "localhost", trusting().build());
    }

    /**
     * The trust anchor's key is judged as any CA's: a 1024-bit RSA root given as trusted is refused
     * (allowLegacyCertificates() admits it), and an unused extra certificate the server sends after the
     * validated path takes no part in the decision.
     */
    @Test
    void theAnchorsKeyIsJudgedAndExtraCertificatesAreNot() throws Exception {
        Identity weakRoot = TestCertificate.builder("CN=tlsupgrade Weak Root").ca().selfSigned().rsa(1024)
                .build("weak-root");
        Identity issued = TestCertificate.builder("CN=localhost").dns("localhost").issuer(weakRoot).build("under-weak-root");
        // The server sends its leaf alone: the weak root is only the anchor the client trusts.
        Identity leaf = TestPki.get().write(issued.name() + "-alone", issued.privateKey(), java.util.List.of(issued.certificate()));
        TlsClientConfig.Builder trustingWeak = TlsClientConfig.builder().trustedCertificates(weakRoot.chain())
                .handshakeTimeout(WAIT);
        assertRefused(leaf, "localhost", trustingWeak.build(), FailureKind.CERTIFICATE_UNTRUSTED, "1024 bits");
        assertAccepted(leaf, "localhost", trustingWeak.allowLegacyCertificates().build());
        // The good chain with an unrelated weak certificate appended (openssl s_server sends what it is given): the
        // validated path ends before it.
        Identity good = TestPki.get().good();
        java.util.List<java.security.cert.X509Certificate> padded = new java.util.ArrayList<>(good.chain());
        padded.add(weakRoot.certificate());
        Identity extra = TestPki.get().write(good.name() + "-with-extra", good.privateKey(), padded);
        try (OpenSslServer server = OpenSslServer.builder().identity(extra).start();
                TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(trusting().build());
                SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost",
                        server.port())) {
            assertThat(tls.getSession().getPeerCertificates()).as("the server sent the extra certificate")
                    .hasSize(padded.size());
        }
    }

    @Test
    void theShapeRfc5280GivesCertificatesIsEnforcedWhereTheJdkDoesNot() throws Exception {
        TlsClientConfig strict = trusting().build();
        TlsClientConfig legacy = trusting().allowLegacyCertificates().build();
        Identity zeroSerial = TestCertificate.builder("CN=zero serial").dns("localhost").serial(java.math.BigInteger.ZERO)
                .build("zero-serial");
        assertRefused(zeroSerial, "localhost", strict, FailureKind.CERTIFICATE_UNTRUSTED, "serial number 0 is not positive");
        assertAccepted(zeroSerial, "localhost", legacy);
        assertRefused(TestCertificate.builder("CN=negative serial").dns("localhost").serial(java.math.BigInteger.valueOf(-5))
                .build("negative-serial"), "localhost", strict, FailureKind.CERTIFICATE_UNTRUSTED, "not positive");
        assertRefused(TestCertificate.builder("CN=long serial").dns("localhost").serial(java.math.BigInteger.ONE.shiftLeft(165))
                .build("long-serial"), "localhost", strict, FailureKind.CERTIFICATE_UNTRUSTED, "at most 20");

        Identity caLeaf = TestCertificate.builder("CN=ca leaf").dns("localhost").caFlag().build("ca-leaf");
        assertRefused(caLeaf, "localhost", strict, FailureKind.CERTIFICATE_UNTRUSTED, "marked as a CA");
        assertAccepted(caLeaf, "localhost", legacy);
        assertRefused(TestCertificate.builder("CN=signing leaf").dns("localhost")
                .keyUsage(org.bouncycastle.asn1.x509.KeyUsage.digitalSignature | org.bouncycastle.asn1.x509.KeyUsage.keyCertSign)
                .build("keycertsign-leaf"), "localhost", strict, FailureKind.CERTIFICATE_UNTRUSTED, "keyCertSign");
        assertRefused(TestCertificate.builder("CN=constrained leaf").dns("localhost").permittedDns("localhost")
                .build("nc-leaf"), "localhost", legacy, FailureKind.CERTIFICATE_UNTRUSTED, "name constraints");
        assertRefused(TestCertificate.builder("CN=critical aki").dns("localhost")
                .extension("2.5.29.35", true, TestCertificate.authorityKeyIdentifier((byte) 0, false))
                .build("critical-aki"), "localhost", legacy, FailureKind.CERTIFICATE_UNTRUSTED, "authority key identifier");
        assertRefused(TestCertificate.builder("CN=odd rsa").dns("localhost").rsa(2047).build("rsa-2047"), "localhost",
                strict, FailureKind.CERTIFICATE_UNTRUSTED, "2047 bits");

        Identity softCa = TestCertificate.builder("CN=tlsupgrade Non-critical BC CA").ca().nonCriticalBasicConstraints()
                .issuer(TestPki.get().root()).build("noncritical-bc-ca");
        Identity underSoftCa = TestCertificate.builder("CN=localhost").dns("localhost").issuer(softCa).build("under-soft-ca");
        assertRefused(underSoftCa, "localhost", strict, FailureKind.CERTIFICATE_UNTRUSTED, "not marked critical");
        assertAccepted(underSoftCa, "localhost", legacy);

        Identity oddRoot = TestCertificate.builder("CN=tlsupgrade Odd Root").selfSigned().ca()
                .extension("1.3.6.1.4.1.55555.1", true, new byte[] {0x05, 0x00}).build("odd-root");
        Identity underOddRoot = TestCertificate.builder("CN=localhost").dns("localhost").issuer(oddRoot).build("under-odd-root");
        TlsClientConfig trustingOddRoot = TlsClientConfig.builder().trustedCertificates(List.of(oddRoot.certificate()))
                .handshakeTimeout(WAIT).allowLegacyCertificates().build();
        assertRefused(underOddRoot, "localhost", trustingOddRoot, FailureKind.CERTIFICATE_UNTRUSTED,
                "critical extension 1.3.6.1.4.1.55555.1");
    }

    /** Key identifiers (x509-limbo rfc5280::aki, rfc5280::ski) and the root profile of an anchor the user configured (webpki::aki). */
    @Test
    void keyIdentifiersAreRequiredAndAConfiguredRootFollowsTheRootProfile() throws Exception {
        TlsClientConfig strict = trusting().build();
        TlsClientConfig legacy = trusting().allowLegacyCertificates().build();
        // rfc5280::aki::leaf-missing-aki
        Identity noAki = TestCertificate.builder("CN=no aki").dns("localhost").noAuthorityKeyId().build("no-aki");
        assertRefused(noAki, "localhost", strict, FailureKind.CERTIFICATE_UNTRUSTED, "certificate 0", "no authority key identifier");
        assertAccepted(noAki, "localhost", legacy);
        // rfc5280::aki::intermediate-missing-aki
        Identity caNoAki = TestCertificate.builder("CN=tlsupgrade No-AKI CA").ca().noAuthorityKeyId()
                .issuer(TestPki.get().root()).build("no-aki-ca");
        assertRefused(TestCertificate.builder("CN=localhost").dns("localhost").issuer(caNoAki).build("under-no-aki-ca"),
                "localhost", strict, FailureKind.CERTIFICATE_UNTRUSTED, "certificate 1", "no authority key identifier");
        // rfc5280::ski::intermediate-missing-ski
        Identity caNoSki = TestCertificate.builder("CN=tlsupgrade No-SKI CA").ca().noSubjectKeyId()
                .issuer(TestPki.get().root()).build("no-ski-ca");
        Identity underNoSki = TestCertificate.builder("CN=localhost").dns("localhost").issuer(caNoSki).build("under-no-ski-ca");
        assertRefused(underNoSki, "localhost", strict, FailureKind.CERTIFICATE_UNTRUSTED, "certificate 1",
                "without a subject key identifier");
        assertAccepted(underNoSki, "localhost", legacy);
        // rfc5280::aki::self-signed-root-missing-aki: the test PKI's root has none
        assertAccepted(TestPki.get().good(), "localhost", strict);
        // rfc5280::ski::root-missing-ski
        assertRefused(underRoot(TestCertificate.builder("CN=tlsupgrade No-SKI Root").selfSigned().ca().noSubjectKeyId(),
                TestCertificate.builder("CN=localhost").dns("localhost")), "localhost", FailureKind.CERTIFICATE_UNTRUSTED,
                "without a subject key identifier");
        // cve::cve-2024-0567 (x509-limbo marks the opposite verdict, rfc5280::aki::cross-signed-root-missing-aki,
        // pedantic): a configured anchor that another CA issued needs no authority key identifier; its issuer lies
        // beyond the path
        Identity crossRoot = TestCertificate.builder("CN=tlsupgrade Cross Root").ca().noAuthorityKeyId()
                .issuer(TestPki.get().root()).build("cross-root");
        assertAccepted(TestCertificate.builder("CN=localhost").dns("localhost").issuer(crossRoot).build("under-cross-root"),
                "localhost", TlsClientConfig.builder().trustedCertificates(List.of(crossRoot.certificate()))
                        .handshakeTimeout(WAIT).build());
        // webpki::aki::root-with-aki-missing-keyidentifier
        assertRefused(underRoot(TestCertificate.builder("CN=tlsupgrade Empty AKI Root").selfSigned().ca()
                .extension("2.5.29.35", false, new byte[] {0x30, 0x00}), TestCertificate.builder("CN=localhost").dns("localhost")),
                "localhost", FailureKind.CERTIFICATE_UNTRUSTED, "no keyIdentifier");
        // webpki::aki::root-with-aki-authoritycertserialnumber
        byte[] withSerial = TestCertificate.authorityKeyIdentifier((byte) 0, true);
        assertRefused(underRoot(TestCertificate.builder("CN=tlsupgrade Serial AKI Root").selfSigned().ca()
                .extension("2.5.29.35", false, withSerial), TestCertificate.builder("CN=localhost").dns("localhost")),
                "localhost", FailureKind.CERTIFICATE_UNTRUSTED, "names its issuer");
        // webpki::aki::root-with-aki-ski-mismatch
        byte[] otherKey = TestCertificate.authorityKeyIdentifier((byte) 0x55, false);
        assertRefused(underRoot(TestCertificate.builder("CN=tlsupgrade Mismatched AKI Root").selfSigned().ca()
                .extension("2.5.29.35", false, otherKey), TestCertificate.builder("CN=localhost").dns("localhost")),
                "localhost", FailureKind.CERTIFICATE_UNTRUSTED, "differs from its subject key identifier");
        // an expired root (the JDK's PKIX never looks at a trust anchor's dates)
        assertRefused(underRoot(TestCertificate.builder("CN=tlsupgrade Expired Root").selfSigned().ca().expired(),
                TestCertificate.builder("CN=localhost").dns("localhost")), "localhost", FailureKind.CERTIFICATE_EXPIRED,
                "expired on");
    }

    @Test
    void nameConstraintsFollowTheirProfileAndHaveABudget() throws Exception {
        assertRefused(underRoot(TestCertificate.builder("CN=tlsupgrade Soft NC Root").selfSigned().ca().permittedDns("localhost")
                .nonCriticalNameConstraints(), TestCertificate.builder("CN=localhost").dns("localhost")),
                "localhost", FailureKind.CERTIFICATE_UNTRUSTED, "not marked critical");
        assertRefused(underRoot(TestCertificate.builder("CN=tlsupgrade Empty NC Root").selfSigned().ca()
                .extension("2.5.29.30", true, new byte[] {0x30, 0x00}), TestCertificate.builder("CN=localhost").dns("localhost")),
                "localhost", FailureKind.CERTIFICATE_UNTRUSTED, "empty");
        assertRefused(underRoot(TestCertificate.builder("CN=tlsupgrade Example NC Root").selfSigned().ca()
                .permittedDns("localhost", "example.com"), TestCertificate.builder("CN=localhost").dns("localhost", ".example.com")),
                "localhost", FailureKind.CERTIFICATE_UNTRUSTED, "'.example.com' is not a valid DNS name");
        TestCertificate.Builder manyConstraints = TestCertificate.builder("CN=tlsupgrade Many NC Root").selfSigned().ca();
        for (int i = 0; i < 400; i++) {
            manyConstraints.excludedDns("n" + i + ".example");
        }
        TestCertificate.Builder manyNames = TestCertificate.builder("CN=localhost").dns("localhost");
        for (int i = 0; i < 300; i++) {
            manyNames.dns("host" + i + ".example.org");
        }
        assertRefused(underRoot(manyConstraints, manyNames), "localhost", FailureKind.CERTIFICATE_UNTRUSTED, "comparisons");

        // A self-issued CA certificate inside the path (a key rollover) is exempt from the constraints above it.
        Identity root = TestCertificate.builder("CN=tlsupgrade Rollover Root").selfSigned().ca().permittedDns("localhost")
                .build("rollover-root");
        Identity rollover = TestCertificate.builder("CN=tlsupgrade Rollover Root").ca().dns("rollover.example.net")
                .issuer(root).build("rollover-self-issued");
        Identity leaf = TestCertificate.builder("CN=localhost").dns("localhost").issuer(rollover).build("rollover-leaf");
        assertAccepted(leaf, "localhost", TlsClientConfig.builder().trustedCertificates(List.of(root.certificate()))
                .handshakeTimeout(WAIT).build());
    }

    /** A root of its own and a leaf it issued. */
    private record RootAndLeaf(Identity root, Identity leaf) {
    }

    /** Builds {@code root}, then {@code leaf} issued by it. */
    private RootAndLeaf underRoot(TestCertificate.Builder root, TestCertificate.Builder leaf) {
        Identity r = root.build("nc-root");
        return new RootAndLeaf(r, leaf.issuer(r).build("nc-leaf"));
    }

    /** The leaf of {@code pair}, served with its root trusted alone, is refused as {@code kind}. */
    private void assertRefused(RootAndLeaf pair, String host, FailureKind kind, String... words) throws Exception {
        assertRefused(pair.leaf(), host, TlsClientConfig.builder().trustedCertificates(List.of(pair.root().certificate()))
                .handshakeTimeout(WAIT).build(), kind, words);
    }

    @Test
    void nameConstraintsAlsoBindTheCommonNameFallback() throws Exception {
        Identity ca = TestCertificate.builder("CN=tlsupgrade Allowed-only CA").ca().issuer(TestPki.get().root())
                .permittedDns("allowed.test").build("allowed-only-ca");
        Identity cnOnly = TestCertificate.builder("CN=victim.test").issuer(ca).build("cn-victim");
        assertRefused(cnOnly, "victim.test", trusting().allowCommonNameFallback().build(), FailureKind.CERTIFICATE_UNTRUSTED,
                "victim.test");
    }

    @Test
    void certificateTextIsEscapedInMessages() throws Exception {
        Identity forged = TestCertificate.builder("CN=forged").dns("evil.test\nWARN forged line").build("newline");
        TlsUpgradeException e = attempt(forged, "localhost", trusting().build());
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).doesNotContain("\n").contains("evil.test\\u000aWARN forged line");
    }

    @Test
    void aPinnedSelfSignedServerIsReachedWithoutTrustingEverything() throws Exception {
        Identity self = TestCertificate.builder("CN=rdp-host").selfSigned().signatureAlgorithm("SHA1withECDSA")
                .build("self-signed-sha1");
        byte[] key = MessageDigest.getInstance("SHA-256").digest(self.certificate().getPublicKey().getEncoded());
        String keyPin = "sha256/" + Base64.getEncoder().encodeToString(key);
        byte[] cert = MessageDigest.getInstance("SHA-256").digest(self.certificate().getEncoded());
        StringBuilder hex = new StringBuilder();
        for (byte b : cert) {
            hex.append(hex.length() == 0 ? "" : ":").append(String.format("%02X", b));
        }
        assertRefused(self, "server01", trusting().build(), FailureKind.CERTIFICATE_UNTRUSTED, "self-signed");
        assertAccepted(self, "server01", TlsClientConfig.builder().pinnedCertificates(keyPin).handshakeTimeout(WAIT).build());
        assertAccepted(self, "server01", TlsClientConfig.builder().pinnedCertificates(hex.toString())
                .handshakeTimeout(WAIT).build());
        assertRefused(TestPki.get().good(), "localhost", TlsClientConfig.builder().pinnedCertificates(keyPin)
                .handshakeTimeout(WAIT).build(), FailureKind.CERTIFICATE_UNTRUSTED, "pinned", "sha256/");
    }

    @Test
    void trustOnFirstUseRecordsTheKeyAndRefusesAChange() throws Exception {
        Path file = dir.resolve("known_hosts");
        TlsClientConfig config = TlsClientConfig.builder().knownHosts(file).handshakeTimeout(WAIT).build();
        Identity first = TestCertificate.builder("CN=rdp-host").selfSigned().build("tofu-first");
        try (JsseTestServer server = JsseTestServer.builder().identity(first).start();
                TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(config)) {
            for (int i = 0; i < 2; i++) {
                upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "server01", server.port()).close();
            }
            String recorded = Files.readString(file);
            assertThat(recorded).contains("server01:" + server.port() + " sha256/");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            Identity impostor = TestCertificate.builder("CN=rdp-host").selfSigned().build("tofu-impostor");
            try (JsseTestServer other = JsseTestServer.builder().identity(impostor).start()) {
                Files.writeString(file, recorded.replace("server01:" + server.port(), "server01:" + other.port()));
                TlsUpgradeException e = catchThrowableOfType(TlsUpgradeException.class, () -> upgrader.upgrade(
                        Loopback.connect(Loopback.v4(), other.port()), "server01", other.port()));
                assertThat(e).isNotNull();
                assertThat(e.kind()).as(e.getMessage()).isEqualTo(FailureKind.CERTIFICATE_CHANGED);
                assertThat(e.getMessage()).contains("stored sha256/", "presented sha256/", file.toString());
                assertThat(e.hint()).contains("delete the line");

                // A file others may write could hold an attacker's key: it decides nothing, the same way everywhere.
                String impostorLine = "server01:" + other.port() + " sha256/" + java.util.Base64.getEncoder().encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(impostor.certificate().getPublicKey().getEncoded()));
                Files.writeString(file, impostorLine + "\n");
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
                TlsUpgradeException writable = catchThrowableOfType(TlsUpgradeException.class, () -> upgrader.upgrade(
                        Loopback.connect(Loopback.v4(), other.port()), "server01", other.port()));
                assertThat(writable).as("a world-writable known hosts file is not trusted").isNotNull();
                assertThat(writable.kind()).as(writable.getMessage()).isEqualTo(FailureKind.CERTIFICATE_UNTRUSTED);
                assertThat(writable.getMessage()).contains("others may write it");
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                upgrader.upgrade(Loopback.connect(Loopback.v4(), other.port()), "server01", other.port()).close();

                Files.writeString(file, "server01:" + other.port() + " not-a-key\n");
                TlsUpgradeException corrupt = catchThrowableOfType(TlsUpgradeException.class, () -> upgrader.upgrade(
                        Loopback.connect(Loopback.v4(), other.port()), "server01", other.port()));
                assertThat(corrupt).isNotNull();
                assertThat(corrupt.kind()).as(corrupt.getMessage()).isEqualTo(FailureKind.CERTIFICATE_UNTRUSTED);
                assertThat(corrupt.getMessage()).contains("line 1");
            }
        }
    }

    /**
     * Pins and known hosts together: a host with pins must present a pinned leaf and is never
     * learned; other hosts are learned on first use. Global pins with known hosts are refused.
     */
    @Test
    void aPinnedHostIsHeldToItsPinsWhileOtherHostsAreLearned() throws Exception {
        Path file = dir.resolve("known_hosts_with_pins");
        Identity device = TestCertificate.builder("CN=device").selfSigned().build("pinned-device");
        String devicePin = "sha256/" + java.util.Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(device.certificate().getPublicKey().getEncoded()));
        TlsClientConfig config = TlsClientConfig.builder().knownHosts(file).pin("device01", devicePin)
                .handshakeTimeout(WAIT).build();
        Identity impostor = TestCertificate.builder("CN=device").selfSigned().build("pinned-impostor");
        try (JsseTestServer real = JsseTestServer.builder().identity(device).start();
                JsseTestServer fake = JsseTestServer.builder().identity(impostor).start();
                TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(config)) {
            TlsUpgradeException e = catchThrowableOfType(TlsUpgradeException.class, () -> upgrader.upgrade(
                    Loopback.connect(Loopback.v4(), fake.port()), "device01", fake.port()));
            assertThat(e).as("an unpinned key for a pinned host, on first contact").isNotNull();
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(FailureKind.PIN_MISMATCH);
            upgrader.upgrade(Loopback.connect(Loopback.v4(), real.port()), "device01", real.port()).close();
            upgrader.upgrade(Loopback.connect(Loopback.v4(), fake.port()), "other01", fake.port()).close();
            String recorded = Files.readString(file);
            assertThat(recorded).as("the unpinned host is learned").contains("other01:" + fake.port() + " sha256/");
            assertThat(recorded).as("the pinned host is not").doesNotContain("device01");
        }
        assertThatThrownBy(() -> TlsClientConfig.builder().knownHosts(file).pinnedCertificates(devicePin).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pin(host, ...)");
    }

    /** The capability says it both ways: SNI for server01 where claimed, and none where not. */
    @Test
    void sniForSingleLabelNamesIsWhatTheCapabilitySays() throws Exception {
        boolean claimed = TlsBackends.get(backendName()).capabilities().has(dev.tlsupgrade.TlsFeature.SNI_SINGLE_LABEL);
        try (JsseTestServer server = JsseTestServer.builder().start();
                TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(trusting()
                        .insecureSkipHostnameVerification().build());
                SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "server01", server.port())) {
            java.util.Optional<String> seen = server.nextConnection(WAIT).sni();
            if (claimed) {
                assertThat(seen).contains("server01");
            } else {
                assertThat(seen).isEmpty();
            }
            assertThat(TlsHandshakeInfo.of(tls).orElseThrow().sniHostName()).isEqualTo(seen);
        }
    }
}
