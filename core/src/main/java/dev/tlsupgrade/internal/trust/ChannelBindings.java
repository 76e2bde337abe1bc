package dev.tlsupgrade.internal.trust;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Locale;

/**
 * What protocols above TLS bind to the server's certificate: the SubjectPublicKey that CredSSP
 * (RDP's NLA) signs in pubKeyAuth, and the {@code tls-server-end-point} channel binding (RFC 5929)
 * that SCRAM-SHA-256-PLUS (PostgreSQL) and others use.
 */
public final class ChannelBindings {
    private ChannelBindings() {
    }

    /** The contents of the certificate's SubjectPublicKey BIT STRING (after its unused-bits byte). */
    public static byte[] subjectPublicKey(X509Certificate cert) {
        DerReader spki = new DerReader(cert.getPublicKey().getEncoded()).sequence();
        spki.sequence(); // the AlgorithmIdentifier
        byte[] bits = spki.read(0x03);
        if (bits.length == 0 || bits[0] != 0) {
            throw new IllegalArgumentException("the SubjectPublicKey is not a whole number of bytes");
        }
        return java.util.Arrays.copyOfRange(bits, 1, bits.length);
    }

    /**
     * RFC 5929 {@code tls-server-end-point}: the hash of the certificate's DER with the hash of its
     * signature algorithm, SHA-256 when that is MD5 or SHA-1 or names no hash (RSASSA-PSS, EdDSA).
     */
    public static byte[] tlsServerEndPoint(X509Certificate cert) {
        String algorithm = cert.getSigAlgName().toUpperCase(Locale.ROOT);
        String hash = algorithm.startsWith("SHA384") ? "SHA-384" : algorithm.startsWith("SHA512") ? "SHA-512"
                : algorithm.startsWith("SHA224") ? "SHA-224" : "SHA-256";
        try {
            return MessageDigest.getInstance(hash).digest(cert.getEncoded());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot hash the server certificate with " + hash + ": " + e, e);
        }
    }
}
