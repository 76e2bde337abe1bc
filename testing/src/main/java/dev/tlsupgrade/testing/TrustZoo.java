package dev.tlsupgrade.testing;

import dev.tlsupgrade.FailureKind;
import dev.tlsupgrade.TlsClientConfig;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;

/**
 * A generated zoo of certificate chains, each with the verdict the RFCs give it (RFC 5280 for paths,
 * constraints and profiles, RFC 6125 for names, the CA/Browser Forum's profile where RFC 5280 is
 * silent) and never the verdict today's code happens to give: names, name constraints, keys,
 * signatures, extended and plain key usage, key identifiers, serials and extensions, validity,
 * and path building with extra certificates. Cases that mirror an x509-limbo case carry its id in
 * their name. Made fresh in every run from {@link TestCertificate}; nothing is checked in.
 */
public final class TrustZoo {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EKU = "2.5.29.37.0";

    /**
     * One chain and what must become of it.
     *
     * @param ruleClass the family of rules the case exercises
     * @param server what the server presents (its chain as sent, leaf first, and its key)
     * @param anchors the certificates the client trusts
     * @param host the name the client verifies
     * @param legacy whether the client allows legacy certificates
     * @param commonNameFallback whether the client allows the CN fallback
     * @param expected null when the chain must be accepted, else the kind of the refusal
     */
    public record Case(String name, String ruleClass, Identity server, List<X509Certificate> anchors, String host,
            boolean legacy, boolean commonNameFallback, FailureKind expected) {
        /** The client's config for this case, its server name set to {@link #host()}. */
        public TlsClientConfig config() {
            TlsClientConfig.Builder b = TlsClientConfig.builder().trustedCertificates(anchors).serverName(host)
                    .handshakeTimeout(Duration.ofSeconds(10));
            if (legacy) {
                b.allowLegacyCertificates();
            }
            if (commonNameFallback) {
                b.allowCommonNameFallback();
            }
            return b.build();
        }

        /** The chain as the server sends it. */
        public X509Certificate[] chain() {
            return server.chain().toArray(new X509Certificate[0]);
        }

        @Override
        public String toString() {
            return ruleClass + "/" + name;
        }
    }

    private final List<Case> cases = new ArrayList<>();
    private final List<X509Certificate> root = List.of(TestPki.get().root().certificate());
    private String ruleClass;

    private TrustZoo() {
    }

    /** Every case, made now. */
    public static List<Case> cases() throws Exception {
        TrustZoo zoo = new TrustZoo();
        zoo.names();
        zoo.nameConstraints();
        zoo.keys();
        zoo.signatures();
        zoo.extendedKeyUsage();
        zoo.keyUsage();
        zoo.keyIdentifiers();
        zoo.profile();
        zoo.validity();
        zoo.paths();
        return List.copyOf(zoo.cases);
    }

    private static TestCertificate.Builder leaf(String... dns) {
        return TestCertificate.builder("CN=zoo leaf").dns(dns);
    }

    private static TestCertificate.Builder ca(String cn) {
        return TestCertificate.builder("CN=tlsupgrade Zoo " + cn).ca().issuer(TestPki.get().root());
    }

    private static TestCertificate.Builder root(String cn) {
        return TestCertificate.builder("CN=tlsupgrade Zoo " + cn).ca().selfSigned();
    }

    private void add(String name, TestCertificate.Builder server, String host, FailureKind expected) {
        add(name, server.build("zoo-" + name), root, host, false, false, expected);
    }

    private void add(String name, Identity server, List<X509Certificate> anchors, String host, boolean legacy,
            boolean cnFallback, FailureKind expected) {
        cases.add(new Case(name, ruleClass, server, anchors, host, legacy, cnFallback, expected));
    }

    /** A leaf under a root of its own, the root trusted alone. */
    private void underRoot(String name, TestCertificate.Builder rootBuilder, TestCertificate.Builder leafBuilder, String host,
            FailureKind expected) {
        Identity r = rootBuilder.build("zoo-" + name + "-root");
        add(name, leafBuilder.issuer(r).build("zoo-" + name), List.of(r.certificate()), host, false, false, expected);
    }

    /** Both verdicts of a rule old devices' CAs break: refused as {@code kind}, accepted with allowLegacyCertificates(). */
    private void legacyPair(String name, Identity server, List<X509Certificate> anchors, String host, FailureKind kind) {
        add(name, server, anchors, host, false, false, kind);
        add(name + "-legacy-allowed", server, anchors, host, true, false, null);
    }

    private void names() throws Exception {
        ruleClass = "names";
        FailureKind no = FailureKind.HOSTNAME_MISMATCH;
        add("exact", leaf("a.zoo.test"), "a.zoo.test", null);
        add("case-folded", leaf("A.ZOO.Test"), "a.zoo.test", null);
        add("second-san-matches", leaf("b.zoo.test", "a.zoo.test"), "a.zoo.test", null);
        add("other-name", leaf("b.zoo.test"), "a.zoo.test", no);
        add("parent-name", leaf("zoo.test"), "a.zoo.test", no);
        add("child-name", leaf("a.b.zoo.test"), "b.zoo.test", no);
        add("wildcard", leaf("*.zoo.test"), "a.zoo.test", null);
        add("wildcard-case-folded", leaf("*.ZOO.test"), "a.zoo.test", null);
        add("wildcard-two-labels", leaf("*.zoo.test"), "a.b.zoo.test", no);
        add("wildcard-apex", leaf("*.zoo.test"), "zoo.test", no);
        add("partial-wildcard-prefix", leaf("w*.zoo.test"), "www.zoo.test", no);
        add("partial-wildcard-suffix", leaf("*w.zoo.test"), "www.zoo.test", no);
        add("wildcard-not-leftmost", leaf("www.*.test"), "www.zoo.test", no);
        add("double-wildcard", leaf("*.*.test"), "a.zoo.test", no);
        // webpki::san::public-suffix-wildcard-san and the multi-label suffixes of the Public Suffix List
        add("public-suffix-wildcard-san", leaf("*.test"), "zoo.test", no);
        add("wildcard-under-co-uk", leaf("*.co.uk"), "example.co.uk", no);
        add("wildcard-under-s3", leaf("*.s3.amazonaws.com"), "bucket.s3.amazonaws.com", no);
        add("wildcard-under-github-io", leaf("*.github.io"), "me.github.io", no);
        add("wildcard-below-registrable", leaf("*.example.co.uk"), "www.example.co.uk", null);
        add("wildcard-for-a-label", leaf("*.zoo.test"), "xn--bcher-kva.zoo.test", no);
        add("presented-trailing-dot", leaf("a.zoo.test."), "a.zoo.test", no);
        add("presented-leading-space", leaf(" a.zoo.test"), "a.zoo.test", no);
        byte[] umlaut = "bücher.zoo.test".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] nonAscii = new byte[umlaut.length + 4];
        nonAscii[0] = 0x30;
        nonAscii[1] = (byte) (umlaut.length + 2);
        nonAscii[2] = (byte) 0x82;
        nonAscii[3] = (byte) umlaut.length;
        System.arraycopy(umlaut, 0, nonAscii, 4, umlaut.length);
        add("presented-non-ascii", TestCertificate.builder("CN=zoo").rawSubjectAltName(nonAscii), "xn--bcher-kva.zoo.test", no);
        add("ip-san", TestCertificate.builder("CN=zoo ip").ip("127.0.0.1"), "127.0.0.1", null);
        add("ip-san-other-address", TestCertificate.builder("CN=zoo ip").ip("127.0.0.2"), "127.0.0.1", no);
        add("ip-as-dns-name", leaf("127.0.0.1"), "127.0.0.1", no);
        add("ipv6-san", TestCertificate.builder("CN=zoo ip6").ip("::1"), "::1", null);
        add("ipv6-san-other", TestCertificate.builder("CN=zoo ip6").ip("::2"), "::1", no);
        add("dns-san-for-ip-host", leaf("localhost"), "127.0.0.1", no);
        add("uri-san-only", TestCertificate.builder("CN=a.zoo.test").uri("https://a.zoo.test/"), "a.zoo.test", no);
        // RFC 6125 6.4.4: the CN only when there is no SAN, and only when asked for by name
        Identity cnOnly = TestCertificate.builder("CN=a.zoo.test").build("zoo-cn-only");
        add("cn-only", cnOnly, root, "a.zoo.test", false, false, no);
        add("cn-only-fallback-allowed", cnOnly, root, "a.zoo.test", false, true, null);
        Identity cnAndSan = TestCertificate.builder("CN=a.zoo.test").dns("b.zoo.test").build("zoo-cn-and-san");
        add("cn-ignored-when-san-exists", cnAndSan, root, "a.zoo.test", false, true, no);
        add("malformed-san", TestCertificate.builder("CN=a.zoo.test")
                .rawSubjectAltName(TestCertificate.truncatedSubjectAltName()), "a.zoo.test", FailureKind.CERTIFICATE_UNTRUSTED);
    }

    private void nameConstraints() throws Exception {
        ruleClass = "name-constraints";
        FailureKind refused = FailureKind.CERTIFICATE_UNTRUSTED;
        Identity permitsZoo = ca("Permits zoo.test").permittedDns("zoo.test").build("zoo-nc-permits");
        add("permitted-dns", leaf("a.zoo.test").issuer(permitsZoo), "a.zoo.test", null);
        add("permitted-dns-deep", leaf("a.b.zoo.test").issuer(permitsZoo), "a.b.zoo.test", null);
        add("outside-permitted-dns", leaf("a.other.test").issuer(permitsZoo), "a.other.test", refused);
        add("one-san-outside-permitted", leaf("a.zoo.test", "a.other.test").issuer(permitsZoo), "a.zoo.test", refused);
        add("suffix-is-not-subtree", leaf("a.evilzoo.test").issuer(permitsZoo), "a.evilzoo.test", refused);
        Identity excludesBad = ca("Excludes bad.zoo.test").excludedDns("bad.zoo.test").build("zoo-nc-excludes");
        add("excluded-dns", leaf("x.bad.zoo.test").issuer(excludesBad), "x.bad.zoo.test", refused);
        add("excluded-dns-exact", leaf("bad.zoo.test").issuer(excludesBad), "bad.zoo.test", refused);
        add("excluded-dns-case-folded", leaf("X.BAD.zoo.test").issuer(excludesBad), "x.bad.zoo.test", refused);
        add("beside-excluded-dns", leaf("good.zoo.test").issuer(excludesBad), "good.zoo.test", null);
        // cve-2025-61727, nc-forbids-dnsname-wildcard-san: a wildcard that could stand for an excluded name
        add("wildcard-over-excluded-subtree", leaf("*.zoo.test").issuer(excludesBad), "bad.zoo.test", refused);
        add("wildcard-over-excluded-subtree-other-host", leaf("*.zoo.test").issuer(excludesBad), "good.zoo.test", refused);
        Identity excludesLoopback = ca("Excludes 127/8").excludedIp("127.0.0.0/8").build("zoo-nc-excludes-ip");
        add("excluded-ip", TestCertificate.builder("CN=zoo ip").ip("127.0.0.1").issuer(excludesLoopback), "127.0.0.1", refused);
        Identity excludesTen = ca("Excludes 10/8").excludedIp("10.0.0.0/8").build("zoo-nc-excludes-ten");
        add("beside-excluded-ip", TestCertificate.builder("CN=zoo ip").ip("127.0.0.1").issuer(excludesTen), "127.0.0.1", null);
        byte[] mapped = {0x30, 0x12, (byte) 0x87, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        add("ipv4-mapped-escapes-ip-constraint", TestCertificate.builder("CN=zoo mapped").rawSubjectAltName(mapped)
                .issuer(excludesLoopback), "127.0.0.1", refused);
        underRoot("anchor-permitted-dns", root("Anchor Permits zoo.test").permittedDns("zoo.test"), leaf("a.zoo.test"),
                "a.zoo.test", null);
        underRoot("anchor-outside-permitted-dns", root("Anchor Permits zoo.test 2").permittedDns("zoo.test"),
                leaf("a.other.test"), "a.other.test", refused);
        underRoot("anchor-excluded-dns", root("Anchor Excludes bad").excludedDns("bad.zoo.test"), leaf("x.bad.zoo.test"),
                "x.bad.zoo.test", refused);
        add("non-critical-name-constraints", leaf("a.zoo.test").issuer(ca("Soft NC").permittedDns("zoo.test")
                .nonCriticalNameConstraints().build("zoo-nc-soft")), "a.zoo.test", refused);
        add("empty-name-constraints", leaf("a.zoo.test").issuer(ca("Empty NC").extension("2.5.29.30", true,
                new byte[] {0x30, 0x00}).build("zoo-nc-empty")), "a.zoo.test", refused);
        add("leading-period-san-under-constraints", leaf("a.zoo.test", ".zoo.test").issuer(permitsZoo), "a.zoo.test", refused);
        add("constraints-in-leaf", leaf("a.zoo.test").permittedDns("zoo.test"), "a.zoo.test", refused);
        // invalid-dnsname-leading-period: OpenSSL's ".zoo.test" is no dNSName constraint (RFC 5280 4.2.1.10)
        underRoot("anchor-leading-period-dns-constraint", root("Anchor Permits .zoo.test").permittedDns(".zoo.test"),
                leaf("a.zoo.test"), "a.zoo.test", refused);
        // permitted-dn-match and its kin: an anchor's directoryName constraints, which the platform never reads
        underRoot("anchor-permitted-dn", root("Anchor Permits Zoo Org").permittedDirectoryName("O=tlsupgrade Zoo"),
                TestCertificate.builder("O=tlsupgrade Zoo,CN=zoo leaf").dns("a.zoo.test"), "a.zoo.test", null);
        underRoot("anchor-outside-permitted-dn", root("Anchor Permits Zoo Org 2").permittedDirectoryName("O=tlsupgrade Zoo"),
                TestCertificate.builder("O=Elsewhere,CN=zoo leaf").dns("a.zoo.test"), "a.zoo.test", refused);
        underRoot("anchor-excluded-dn", root("Anchor Excludes Bad Org").excludedDirectoryName("O=Bad Zoo"),
                TestCertificate.builder("O=Bad Zoo,CN=zoo leaf").dns("a.zoo.test"), "a.zoo.test", refused);
        underRoot("anchor-beside-excluded-dn", root("Anchor Excludes Bad Org 2").excludedDirectoryName("O=Bad Zoo"),
                TestCertificate.builder("O=Good Zoo,CN=zoo leaf").dns("a.zoo.test"), "a.zoo.test", null);
        // nc-forbids-othername: a constraint on otherName the platform's validator cannot judge (it throws) is a
        // refusal; nc-forbids-othername-noop: beside a leaf without such a name it decides nothing
        GeneralName otherName = new GeneralName(GeneralName.otherName, new DERSequence(new ASN1Encodable[] {
                new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.2"), new DERTaggedObject(true, 0, DERNull.INSTANCE)}));
        Identity excludesOther = ca("Excludes otherName").extension("2.5.29.30", true, new NameConstraints(
                new GeneralSubtree[] {new GeneralSubtree(new GeneralName(GeneralName.dNSName, "zoo.test"))},
                new GeneralSubtree[] {new GeneralSubtree(otherName)}).getEncoded()).build("zoo-nc-excludes-other");
        byte[] sanWithOther = new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, "a.zoo.test"),
                otherName}).getEncoded();
        add("othername-excluded", TestCertificate.builder("CN=zoo other").rawSubjectAltName(sanWithOther)
                .issuer(excludesOther), "a.zoo.test", refused);
        add("othername-excluded-noop", leaf("a.zoo.test").issuer(excludesOther), "a.zoo.test", null);
        // bettertls::nameconstraints: the JDK holds the leaf's CN to dNSName constraints; RFC 5280 holds its SAN
        add("cn-excluded-san-ip-inside", TestCertificate.builder("CN=bad.zoo.test").ip("127.0.0.1").issuer(excludesBad),
                "127.0.0.1", null);
        add("cn-excluded-san-dns-inside", TestCertificate.builder("CN=x.bad.zoo.test").dns("good.zoo.test")
                .issuer(excludesBad), "good.zoo.test", null);
        // nc-forbids-alternate-chain-ica: ... and an intermediate's CN (inner-ca) to the constraints of the CA above it
        Identity twoLevelRoot = root("Two Level Root").build("zoo-nc-two-level-root");
        Identity permitsTwoLevels = TestCertificate.builder("CN=tlsupgrade Zoo Permits zoo.test Two Levels").ca()
                .pathLength(1).permittedDns("zoo.test").issuer(twoLevelRoot).build("zoo-nc-two-levels");
        Identity innerCa = TestCertificate.builder("CN=inner-ca").ca().issuer(permitsTwoLevels).build("zoo-nc-inner-ca");
        add("intermediate-cn-outside-permitted", leaf("a.zoo.test").issuer(innerCa).build("zoo-nc-under-inner"),
                List.of(twoLevelRoot.certificate()), "a.zoo.test", false, false, null);
        add("intermediate-cn-outside-permitted-leaf-outside-too", leaf("a.other.test").issuer(innerCa)
                .build("zoo-nc-under-inner-outside"), List.of(twoLevelRoot.certificate()), "a.other.test", false, false,
                refused);
        add("cn-excluded-san-ip-inside-expired", TestCertificate.builder("CN=bad.zoo.test").ip("127.0.0.1").expired()
                .issuer(excludesBad), "127.0.0.1", FailureKind.CERTIFICATE_EXPIRED);
        // permitted-self-issued: a self-issued CA certificate (a key rollover) is exempt from the constraints above it
        Identity rolloverRoot = root("Rollover").permittedDns("zoo.test").build("zoo-nc-rollover-root");
        Identity rollover = TestCertificate.builder("CN=tlsupgrade Zoo Rollover").ca().dns("rollover.other.test")
                .issuer(rolloverRoot).build("zoo-nc-rollover");
        add("permitted-self-issued", leaf("a.zoo.test").issuer(rollover).build("zoo-nc-under-rollover"),
                List.of(rolloverRoot.certificate()), "a.zoo.test", false, false, null);
        Identity cnOutside = TestCertificate.builder("CN=a.other.test").issuer(permitsZoo).build("zoo-nc-cn-outside");
        add("cn-fallback-outside-permitted", cnOutside, root, "a.other.test", false, true, refused);
        Identity cnInside = TestCertificate.builder("CN=a.zoo.test").issuer(permitsZoo).build("zoo-nc-cn-inside");
        add("cn-fallback-inside-permitted", cnInside, root, "a.zoo.test", false, true, null);
        // pathological::nc-dos: constraints x names beyond any sane certificate are refused, not evaluated for seconds
        TestCertificate.Builder many = ca("Many NC");
        for (int i = 0; i < 400; i++) {
            many.excludedDns("n" + i + ".zoo.test");
        }
        TestCertificate.Builder manyNames = leaf("a.zoo.test");
        for (int i = 0; i < 300; i++) {
            manyNames.dns("h" + i + ".zoo.test");
        }
        add("constraints-times-names-budget", manyNames.issuer(many.build("zoo-nc-many")), "a.zoo.test", refused);
    }

    private void keys() throws Exception {
        ruleClass = "keys";
        FailureKind refused = FailureKind.CERTIFICATE_UNTRUSTED;
        add("ec-p256", leaf("a.zoo.test"), "a.zoo.test", null);
        add("ec-p384", leaf("a.zoo.test").ec("secp384r1"), "a.zoo.test", null);
        add("ec-p521", leaf("a.zoo.test").ec("secp521r1"), "a.zoo.test", null);
        add("rsa-2048", leaf("a.zoo.test").rsa(2048), "a.zoo.test", null);
        add("rsa-3072", leaf("a.zoo.test").rsa(3072), "a.zoo.test", null);
        legacyPair("rsa-1024", leaf("a.zoo.test").rsa(1024).build("zoo-rsa-1024"), root, "a.zoo.test", refused);
        legacyPair("rsa-modulus-not-whole-bytes", leaf("a.zoo.test").rsa(2047).build("zoo-rsa-2047"), root, "a.zoo.test",
                refused);
        Identity weakCa = ca("Weak CA").rsa(1024).build("zoo-weak-ca");
        legacyPair("rsa-1024-intermediate", leaf("a.zoo.test").issuer(weakCa).build("zoo-under-weak-ca"), root,
                "a.zoo.test", refused);
        Identity weakRoot = root("Weak Root").rsa(1024).build("zoo-weak-root");
        Identity underWeakRoot = leaf("a.zoo.test").issuer(weakRoot).build("zoo-under-weak-root");
        legacyPair("rsa-1024-anchor", underWeakRoot, List.of(weakRoot.certificate()), "a.zoo.test", refused);
        Identity p384Root = root("P-384 Root").ec("secp384r1").build("zoo-p384-root");
        add("ec-p384-anchor", leaf("a.zoo.test").issuer(p384Root).build("zoo-under-p384-root"),
                List.of(p384Root.certificate()), "a.zoo.test", false, false, null);
    }

    private void signatures() throws Exception {
        ruleClass = "signatures";
        FailureKind refused = FailureKind.CERTIFICATE_UNTRUSTED;
        add("sha256-rsa", leaf("a.zoo.test"), "a.zoo.test", null);
        add("sha384-rsa", leaf("a.zoo.test").signatureAlgorithm("SHA384withRSA"), "a.zoo.test", null);
        add("sha512-rsa", leaf("a.zoo.test").signatureAlgorithm("SHA512withRSA"), "a.zoo.test", null);
        add("rsassa-pss-sha256", leaf("a.zoo.test").signatureAlgorithm("SHA256withRSAandMGF1"), "a.zoo.test", null);
        legacyPair("sha1-rsa-leaf", leaf("a.zoo.test").signatureAlgorithm("SHA1withRSA").build("zoo-sha1-leaf"), root,
                "a.zoo.test", refused);
        add("rsassa-pss-sha1", leaf("a.zoo.test").signatureAlgorithm("SHA1withRSAandMGF1"), "a.zoo.test", refused);
        Identity sha1Ca = ca("SHA-1 CA").signatureAlgorithm("SHA1withRSA").build("zoo-sha1-ca");
        add("sha1-rsa-intermediate", leaf("a.zoo.test").issuer(sha1Ca), "a.zoo.test", refused);
        Identity ecRoot = root("EC Root").build("zoo-ec-root");
        add("sha256-ecdsa", leaf("a.zoo.test").issuer(ecRoot).build("zoo-ecdsa-256"), List.of(ecRoot.certificate()),
                "a.zoo.test", false, false, null);
        add("sha384-ecdsa", leaf("a.zoo.test").issuer(ecRoot).signatureAlgorithm("SHA384withECDSA").build("zoo-ecdsa-384"),
                List.of(ecRoot.certificate()), "a.zoo.test", false, false, null);
        add("sha1-ecdsa", leaf("a.zoo.test").issuer(ecRoot).signatureAlgorithm("SHA1withECDSA").build("zoo-ecdsa-sha1"),
                List.of(ecRoot.certificate()), "a.zoo.test", false, false, refused);
        // A trust anchor's own signature vouches for nothing (RFC 5280 6.1.1): SHA-1 there is no weakness.
        Identity sha1Root = root("SHA-1 Root").rsa(2048).signatureAlgorithm("SHA1withRSA").build("zoo-sha1-root");
        add("sha1-self-signature-of-anchor", leaf("a.zoo.test").issuer(sha1Root).build("zoo-under-sha1-root"),
                List.of(sha1Root.certificate()), "a.zoo.test", false, false, null);
        add("md5-rsa-leaf", leaf("a.zoo.test").issuer(TestPki.get().root()).signatureAlgorithm("MD5withRSA")
                .build("zoo-md5-leaf"), root, "a.zoo.test", true, false, refused);
    }

    private void extendedKeyUsage() throws Exception {
        ruleClass = "extended-key-usage";
        FailureKind refused = FailureKind.CERTIFICATE_UNTRUSTED;
        add("no-eku", leaf("a.zoo.test"), "a.zoo.test", null);
        add("server-auth", leaf("a.zoo.test").eku(SERVER_AUTH), "a.zoo.test", null);
        add("server-and-client-auth", leaf("a.zoo.test").eku(SERVER_AUTH, CLIENT_AUTH), "a.zoo.test", null);
        add("server-auth-and-any-eku", leaf("a.zoo.test").eku(SERVER_AUTH, ANY_EKU), "a.zoo.test", null);
        add("client-auth-only", leaf("a.zoo.test").eku(CLIENT_AUTH), "a.zoo.test", refused);
        add("code-signing-only", leaf("a.zoo.test").eku("1.3.6.1.5.5.7.3.3"), "a.zoo.test", refused);
        // webpki::eku::ee-anyeku: anyExtendedKeyUsage alone does not name TLS servers
        add("any-eku-only", leaf("a.zoo.test").eku(ANY_EKU), "a.zoo.test", refused);
        add("intermediate-eku-server-auth", leaf("a.zoo.test").issuer(ca("EKU Server CA").eku(SERVER_AUTH)
                .build("zoo-eku-server-ca")), "a.zoo.test", null);
        add("intermediate-eku-client-auth-only", leaf("a.zoo.test").issuer(ca("EKU Client CA").eku(CLIENT_AUTH)
                .build("zoo-eku-client-ca")), "a.zoo.test", refused);
        underRoot("anchor-eku-client-auth-only", root("EKU Client Root").eku(CLIENT_AUTH), leaf("a.zoo.test"),
                "a.zoo.test", refused);
        underRoot("anchor-eku-server-auth", root("EKU Server Root").eku(SERVER_AUTH), leaf("a.zoo.test"), "a.zoo.test", null);
    }

    private void keyUsage() throws Exception {
        ruleClass = "key-usage";
        FailureKind refused = FailureKind.CERTIFICATE_UNTRUSTED;
        add("digital-signature", leaf("a.zoo.test").keyUsage(KeyUsage.digitalSignature), "a.zoo.test", null);
        add("signature-and-encipherment", leaf("a.zoo.test").rsa(2048)
                .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment), "a.zoo.test", null);
        add("key-encipherment-only", leaf("a.zoo.test").keyUsage(KeyUsage.keyEncipherment), "a.zoo.test", refused);
        add("key-agreement-only", leaf("a.zoo.test").keyUsage(KeyUsage.keyAgreement), "a.zoo.test", refused);
        legacyPair("leaf-key-cert-sign", leaf("a.zoo.test").keyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign)
                .build("zoo-leaf-keycertsign"), root, "a.zoo.test", refused);
        add("ca-without-key-cert-sign", leaf("a.zoo.test").issuer(ca("No keyCertSign CA").keyUsage(KeyUsage.cRLSign)
                .build("zoo-ca-no-keycertsign")), "a.zoo.test", refused);
    }

    private void keyIdentifiers() throws Exception {
        ruleClass = "key-identifiers";
        FailureKind refused = FailureKind.CERTIFICATE_UNTRUSTED;
        legacyPair("rfc5280-aki-leaf-missing-aki", leaf("a.zoo.test").noAuthorityKeyId().build("zoo-no-aki"), root,
                "a.zoo.test", refused);
        legacyPair("rfc5280-aki-intermediate-missing-aki", leaf("a.zoo.test").issuer(ca("No AKI CA").noAuthorityKeyId()
                .build("zoo-no-aki-ca")).build("zoo-under-no-aki-ca"), root, "a.zoo.test", refused);
        legacyPair("rfc5280-ski-intermediate-missing-ski", leaf("a.zoo.test").issuer(ca("No SKI CA").noSubjectKeyId()
                .build("zoo-no-ski-ca")).build("zoo-under-no-ski-ca"), root, "a.zoo.test", refused);
        add("rfc5280-aki-self-signed-root-missing-aki", leaf("a.zoo.test"), "a.zoo.test", null);
        underRoot("rfc5280-ski-root-missing-ski", root("No SKI Root").noSubjectKeyId(), leaf("a.zoo.test"), "a.zoo.test",
                refused);
        // cve-2024-0567 (x509-limbo's pedantic rfc5280::aki::cross-signed-root-missing-aki says the opposite): an anchor
        // another CA issued needs no authority key identifier, its issuer lies beyond the path
        Identity crossRoot = ca("Cross Root").noAuthorityKeyId().build("zoo-cross-root");
        add("anchor-issued-by-another-ca-without-aki", leaf("a.zoo.test").issuer(crossRoot).build("zoo-under-cross-root"),
                List.of(crossRoot.certificate()), "a.zoo.test", false, false, null);
        underRoot("webpki-aki-root-with-aki-missing-keyidentifier", root("Empty AKI Root").extension("2.5.29.35", false,
                new byte[] {0x30, 0x00}), leaf("a.zoo.test"), "a.zoo.test", refused);
        byte[] withSerial = TestCertificate.authorityKeyIdentifier((byte) 0, true);
        underRoot("webpki-aki-root-with-aki-authoritycertserialnumber", root("Serial AKI Root").extension("2.5.29.35", false,
                withSerial), leaf("a.zoo.test"), "a.zoo.test", refused);
        byte[] otherKey = TestCertificate.authorityKeyIdentifier((byte) 0x55, false);
        underRoot("webpki-aki-root-with-aki-ski-mismatch", root("Mismatched AKI Root").extension("2.5.29.35", false,
                otherKey), leaf("a.zoo.test"), "a.zoo.test", refused);
        add("rfc5280-aki-critical-aki", leaf("a.zoo.test").extension("2.5.29.35", true, otherKey), "a.zoo.test", refused);
        byte[] ski = {0x04, 0x14, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
        underRoot("rfc5280-ski-critical-ski", root("Critical SKI Root").extension("2.5.29.14", true, ski), leaf("a.zoo.test"),
                "a.zoo.test", refused);
    }

    private void profile() throws Exception {
        ruleClass = "profile";
        FailureKind refused = FailureKind.CERTIFICATE_UNTRUSTED;
        legacyPair("rfc5280-serial-zero", leaf("a.zoo.test").serial(BigInteger.ZERO).build("zoo-serial-zero"), root,
                "a.zoo.test", refused);
        legacyPair("rfc5280-serial-negative", leaf("a.zoo.test").serial(BigInteger.valueOf(-5)).build("zoo-serial-negative"),
                root, "a.zoo.test", refused);
        legacyPair("rfc5280-serial-too-long", leaf("a.zoo.test").serial(BigInteger.ONE.shiftLeft(165))
                .build("zoo-serial-long"), root, "a.zoo.test", refused);
        add("serial-twenty-bytes", leaf("a.zoo.test").serial(BigInteger.ONE.shiftLeft(158)), "a.zoo.test", null);
        byte[] nullValue = {0x05, 0x00};
        add("unknown-critical-extension-leaf", leaf("a.zoo.test").extension("1.3.6.1.4.1.55555.1", true, nullValue),
                "a.zoo.test", refused);
        add("unknown-non-critical-extension-leaf", leaf("a.zoo.test").extension("1.3.6.1.4.1.55555.1", false, nullValue),
                "a.zoo.test", null);
        add("unknown-critical-extension-intermediate", leaf("a.zoo.test").issuer(ca("Odd CA")
                .extension("1.3.6.1.4.1.55555.1", true, nullValue).build("zoo-odd-ca")), "a.zoo.test", refused);
        underRoot("unknown-critical-extension-anchor", root("Odd Root").extension("1.3.6.1.4.1.55555.1", true, nullValue),
                leaf("a.zoo.test"), "a.zoo.test", refused);
        add("malformed-aia", leaf("a.zoo.test").extension("1.3.6.1.5.5.7.1.1", false, new byte[] {0x30, 0x03, 0x30, 0x01, 0x06}),
                "a.zoo.test", refused);
        legacyPair("non-critical-basic-constraints-ca", leaf("a.zoo.test").issuer(ca("Soft BC CA")
                .nonCriticalBasicConstraints().build("zoo-soft-bc-ca")).build("zoo-under-soft-bc"), root, "a.zoo.test",
                refused);
        // ica-noncritical-pc: policyConstraints MUST be critical (RFC 5280 4.2.1.11)
        byte[] inhibitMapping = {0x30, 0x03, (byte) 0x81, 0x01, 0x00};
        legacyPair("non-critical-policy-constraints-ca", leaf("a.zoo.test").issuer(ca("Soft PC CA")
                .extension("2.5.29.36", false, inhibitMapping).build("zoo-soft-pc-ca")).build("zoo-under-soft-pc"), root,
                "a.zoo.test", refused);
        add("critical-policy-constraints-ca", leaf("a.zoo.test").issuer(ca("PC CA").extension("2.5.29.36", true,
                inhibitMapping).build("zoo-pc-ca")), "a.zoo.test", null);
        legacyPair("leaf-marked-ca", leaf("a.zoo.test").caFlag().build("zoo-ca-leaf"), root, "a.zoo.test", refused);
    }

    private void validity() throws Exception {
        ruleClass = "validity";
        add("in-date", leaf("a.zoo.test"), "a.zoo.test", null);
        add("expired-leaf", TestPki.get().expired(), root, "localhost", false, false, FailureKind.CERTIFICATE_EXPIRED);
        add("not-yet-valid-leaf", TestPki.get().notYetValid(), root, "localhost", false, false,
                FailureKind.CERTIFICATE_NOT_YET_VALID);
        add("expired-intermediate", leaf("a.zoo.test").issuer(ca("Expired CA").expired().build("zoo-expired-ca")),
                "a.zoo.test", FailureKind.CERTIFICATE_EXPIRED);
        underRoot("expired-configured-root", root("Expired Root").expired(), leaf("a.zoo.test"), "a.zoo.test",
                FailureKind.CERTIFICATE_EXPIRED);
    }

    private void paths() throws Exception {
        ruleClass = "paths";
        FailureKind refused = FailureKind.CERTIFICATE_UNTRUSTED;
        Identity good = leaf("a.zoo.test").build("zoo-path-good");
        add("intermediate-sent", good, root, "a.zoo.test", false, false, null);
        add("root-sent-too", TestPki.get().rootInChain(), root, "localhost", false, false, null);
        add("issued-by-root", TestPki.get().rootIssued(), root, "localhost", false, false, null);
        add("intermediate-as-anchor", good, List.of(TestPki.get().intermediate().certificate()), "a.zoo.test", false, false,
                null);
        // bettertls::pathbuilding: certificates sent beyond the validated path take no part in the decision
        Identity weakRoot = root("Unused Weak Root").rsa(1024).build("zoo-unused-weak-root");
        add("unused-weak-extra", padded(good, weakRoot.certificate()), root, "a.zoo.test", false, false, null);
        Identity expiredCa = ca("Unused Expired CA").expired().build("zoo-unused-expired-ca");
        add("unused-expired-extra", padded(good, expiredCa.certificate()), root, "a.zoo.test", false, false, null);
        Identity sha1Ca = ca("Unused SHA-1 CA").signatureAlgorithm("SHA1withRSA").build("zoo-unused-sha1-ca");
        add("unused-sha1-extra", padded(good, sha1Ca.certificate()), root, "a.zoo.test", false, false, null);
        add("intermediate-sent-twice", padded(good, TestPki.get().intermediate().certificate()), root, "a.zoo.test", false,
                false, null);
        add("leaf-alone-intermediate-missing", TestPki.get().write("zoo-leaf-alone", good.privateKey(),
                List.of(good.certificate())), root, "a.zoo.test", false, false, refused);
        add("self-signed-untrusted", TestPki.get().selfSigned(), root, "localhost", false, false, refused);
        Identity otherRoot = root("Other Root").build("zoo-other-root");
        add("chain-to-untrusted-root", leaf("a.zoo.test").issuer(otherRoot).build("zoo-under-other-root"), root,
                "a.zoo.test", false, false, refused);
        add("altered-signature", TestPki.get().alteredSignature(), root, "localhost", false, false,
                FailureKind.ALTERED_IN_TRANSIT);
        // TestCertificate's CAs allow no CA below them (pathLenConstraint 0)
        Identity pathLenZero = ca("PathLen0 CA").build("zoo-pathlen0");
        Identity below = TestCertificate.builder("CN=tlsupgrade Zoo Below PathLen0").ca().issuer(pathLenZero)
                .build("zoo-below-pathlen0");
        add("path-length-exceeded", leaf("a.zoo.test").issuer(below), "a.zoo.test", refused);
        Identity notCa = leaf("notca.zoo.test").build("zoo-not-ca");
        add("issuer-not-a-ca", leaf("a.zoo.test").issuer(notCa), "a.zoo.test", refused);
        // Certificates in any order (TLS 1.3 allows it), more than one path: the rules judge the path, and a path
        // they refuse gives way to another. bettertls::pathbuilding: the intermediate cross-signed by a root that
        // constrains it away is sent first; the path through its trusted twin stands.
        Identity crossIca = ca("Cross ICA").build("zoo-cross-ica");
        Identity constrainingRoot = root("Constraining Root").build("zoo-constraining-root");
        Identity constrainedTwin = TestCertificate.builder("CN=tlsupgrade Zoo Cross ICA").ca().keyOf(crossIca)
                .permittedDns("elsewhere.test").issuer(constrainingRoot).build("zoo-cross-ica-twin");
        Identity underCross = leaf("a.zoo.test").issuer(crossIca).build("zoo-under-cross-ica");
        add("constrained-twin-sent-first", sent(underCross, constrainedTwin.certificate(), crossIca.certificate()), root,
                "a.zoo.test", false, false, null);
        // ... and a SHA-1 re-signing of the intermediate sent before its SHA-256 one
        Identity resigned = ca("Resigned ICA").build("zoo-resigned-ica");
        String sha1 = TestPki.get().root().privateKey().getAlgorithm().equals("EC") ? "SHA1withECDSA" : "SHA1withRSA";
        Identity sha1Twin = TestCertificate.builder("CN=tlsupgrade Zoo Resigned ICA").ca().keyOf(resigned)
                .signatureAlgorithm(sha1).issuer(TestPki.get().root()).build("zoo-resigned-ica-sha1");
        Identity underResigned = leaf("a.zoo.test").issuer(resigned).build("zoo-under-resigned");
        add("sha1-twin-sent-first", sent(underResigned, sha1Twin.certificate(), resigned.certificate()), root,
                "a.zoo.test", false, false, null);
        // ... but the only path, judged as a path, through a CA limited to e-mail, with a good CA sent before it
        Identity emailCa = ca("E-mail Only CA").eku("1.3.6.1.5.5.7.3.4").build("zoo-email-ca");
        Identity underEmail = leaf("a.zoo.test").issuer(emailCa).build("zoo-under-email-ca");
        add("only-path-through-email-ca-unordered", sent(underEmail, crossIca.certificate(), emailCa.certificate()), root,
                "a.zoo.test", false, false, refused);
    }

    /** {@code id}'s leaf and key, then exactly {@code others}, in that order, as the server sends them. */
    private static Identity sent(Identity id, X509Certificate... others) throws Exception {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(id.certificate());
        chain.addAll(List.of(others));
        return TestPki.get().write(id.name() + "-sent-" + chain.size(), id.privateKey(), chain);
    }

    /** {@code id}'s chain with {@code extra} appended, as a server configured with too much sends it. */
    private static Identity padded(Identity id, X509Certificate extra) throws Exception {
        List<X509Certificate> chain = new ArrayList<>(id.chain());
        chain.add(extra);
        return TestPki.get().write(id.name() + "-padded-" + chain.size() + "-" + extra.getSerialNumber(), id.privateKey(),
                chain);
    }
}
