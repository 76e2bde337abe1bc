package dev.tlsupgrade.internal.trust;

import dev.tlsupgrade.FailureKind;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.util.List;
import java.util.Locale;

/**
 * One certificate policy for every backend, applied after the platform's PKIX accepted the chain
 * (stricter than the JDK, which refuses SHA-1 only under its own public roots):
 * <ul>
 *   <li>keys: RSA of 2048 bits or more, EC on P-256, P-384 or P-521, Ed25519 or Ed448; no DSA;
 *   <li>no MD5 or SHA-1 signature on any certificate but a trust anchor itself;
 *   <li>the server's certificate carries serverAuth in its extended key usage, or no extended key
 *       usage ({@code anyExtendedKeyUsage} alone is not serverAuth), and its key usage, when present,
 *       allows signing (or key encipherment for static-RSA key exchange);
 *   <li>a CA (intermediate or trust anchor) that carries an extended key usage includes serverAuth.
 * </ul>
 * {@code allowLegacyCertificates()} admits SHA-1 signatures and RSA keys of 1024 bits or more, for old
 * devices. Each refusal names the certificate's index and the rule.
 */
final class CertificatePolicy {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;

    private CertificatePolicy() {
    }

    /**
     * @param chain the validated path, leaf first, its trust anchor last (the anchor's key is judged too)
     * @param anchors the trust anchors (a certificate equal to one is exempt from the signature rule)
     * @param authType the provider's key exchange name ("RSA" for static RSA)
     */
    static void check(X509Certificate[] chain, X509Certificate[] anchors, String authType, boolean legacyAllowed)
            throws CertificateProblem {
        for (int i = 0; i < chain.length; i++) {
            X509Certificate c = chain[i];
            boolean anchor = List.of(anchors).contains(c);
            checkKey(i, c, legacyAllowed);
            if (!anchor) {
                checkSignature(i, c, legacyAllowed);
            }
            if (i == 0) {
                checkLeafUsage(c, authType);
            } else {
                // The anchor too: the JDK ignores what an anchor carries, and a root limited to other purposes
                // (client authentication, code signing) may not vouch for a TLS server.
                checkIntermediateUsage(i, c);
            }
        }
    }

    private static void checkKey(int i, X509Certificate c, boolean legacyAllowed) throws CertificateProblem {
        PublicKey key = c.getPublicKey();
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits % 8 != 0 && !legacyAllowed) {
                throw refused(i, c, "its RSA modulus has " + bits + " bits, not a whole number of bytes, which no "
                        + "key generator makes", "have it reissued with an RSA key of 2048+ bits or an EC key.");
            }
            if (bits < 2048 && !(legacyAllowed && bits >= 1024)) {
                throw refused(i, c, "its RSA key has " + bits + " bits; 2048 or more are required",
                        bits >= 1024 ? "have it reissued with an RSA key of 2048+ bits or an EC key; for an old device "
                                + "that cannot, allowLegacyCertificates() admits 1024-bit RSA (weak: only for that device)."
                                : "have it reissued with an RSA key of 2048+ bits or an EC key.");
            }
        } else if (key instanceof DSAPublicKey) {
            throw refused(i, c, "its key is DSA, which TLS no longer uses", "have it reissued with an RSA or EC key.");
        } else if (key instanceof ECPublicKey ec) {
            String curve = ec.getParams().toString().toLowerCase(Locale.ROOT);
            if (!curve.contains("secp256r1") && !curve.contains("secp384r1") && !curve.contains("secp521r1")) {
                throw refused(i, c, "its EC key is not on P-256, P-384 or P-521 (" + curve + ")",
                        "have it reissued on P-256 or P-384.");
            }
        } else if (!(key instanceof EdECPublicKey)) {
            throw refused(i, c, "its key type " + key.getAlgorithm() + " is not one TLS servers use",
                    "have it reissued with an RSA (2048+) or EC (P-256/P-384) key.");
        }
    }

    private static void checkSignature(int i, X509Certificate c, boolean legacyAllowed) throws CertificateProblem {
        String algorithm = c.getSigAlgName().toUpperCase(Locale.ROOT);
        if (algorithm.equals("RSASSA-PSS")) {
            // The name says nothing of the hash: it is in the parameters (SHA-1 when they leave it out).
            algorithm = pssDigests(i, c);
        }
        boolean md5 = algorithm.contains("MD5") || algorithm.contains("MD2");
        boolean sha1 = algorithm.startsWith("SHA1") || algorithm.contains("SHA1WITH") || algorithm.contains("SHA-1");
        if (md5 || sha1 && !legacyAllowed) {
            String shown = algorithm.startsWith("RSASSA-PSS") ? "RSASSA-PSS with " + algorithm.substring(11) : c.getSigAlgName();
            throw refused(i, c, "it is signed with " + shown + ", which can be forged",
                    "have it reissued with SHA-256 or better" + (sha1 ? "; for an old device that cannot, "
                            + "allowLegacyCertificates() admits SHA-1 (weak: only for that device)." : "."));
        }
    }

    /** The digests of an RSASSA-PSS signature (message and MGF1), e.g. "RSASSA-PSS SHA-1/SHA-1". */
    private static String pssDigests(int i, X509Certificate c) throws CertificateProblem {
        try {
            java.security.AlgorithmParameters params = java.security.AlgorithmParameters.getInstance("RSASSA-PSS");
            params.init(c.getSigAlgParams());
            java.security.spec.PSSParameterSpec pss = params.getParameterSpec(java.security.spec.PSSParameterSpec.class);
            String mgf = pss.getMGFParameters() instanceof java.security.spec.MGF1ParameterSpec m ? m.getDigestAlgorithm() : "?";
            return ("RSASSA-PSS " + pss.getDigestAlgorithm() + "/" + mgf).toUpperCase(Locale.ROOT);
        } catch (java.security.GeneralSecurityException | java.io.IOException | RuntimeException e) {
            throw refused(i, c, "its RSASSA-PSS signature parameters cannot be read", "have it reissued.");
        }
    }

    private static void checkLeafUsage(X509Certificate c, String authType) throws CertificateProblem {
        List<String> eku = extendedKeyUsage(0, c);
        if (eku != null && !eku.contains(SERVER_AUTH)) {
            throw refused(0, c, "its extended key usage " + eku + " does not include serverAuth (" + SERVER_AUTH + ")"
                    + (eku.contains("2.5.29.37.0") ? "; anyExtendedKeyUsage alone is not serverAuth" : ""),
                    "have it reissued for TLS servers (extendedKeyUsage serverAuth).");
        }
        boolean[] ku = c.getKeyUsage();
        if (ku != null) {
            boolean staticRsa = "RSA".equals(authType);
            int needed = staticRsa ? KEY_ENCIPHERMENT : DIGITAL_SIGNATURE;
            if (ku.length <= needed || !ku[needed]) {
                throw refused(0, c, "its key usage does not allow " + (staticRsa ? "keyEncipherment" : "digitalSignature")
                        + ", which this handshake needs", "have it reissued with keyUsage digitalSignature.");
            }
        }
    }

    private static void checkIntermediateUsage(int i, X509Certificate c) throws CertificateProblem {
        List<String> eku = extendedKeyUsage(i, c);
        if (eku != null && !eku.contains(SERVER_AUTH)) {
            throw refused(i, c, "this CA's extended key usage " + eku + " does not include serverAuth, so it may not "
                    + "issue TLS server certificates", "the server's certificate must come from a CA allowed to issue them.");
        }
    }

    private static List<String> extendedKeyUsage(int i, X509Certificate c) throws CertificateProblem {
        try {
            return c.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw refused(i, c, "its extended key usage cannot be parsed", "have it reissued.");
        }
    }

    /** A refusal of certificate {@code i} for {@code why}, the form every certificate rule uses. */
    static CertificateProblem refused(int i, X509Certificate c, String why, String hint) {
        String subject = CertificateVerifier.subject(c);
        return new CertificateProblem(FailureKind.CERTIFICATE_UNTRUSTED, i, subject,
                "certificate " + i + " '" + subject + "' is refused: " + why + ".", hint, null);
    }
}
