package dev.tlsupgrade.internal.trust;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Locale;

/**
 * SHA-256 fingerprints of a certificate and of its SubjectPublicKeyInfo (its key), in the two
 * spellings users copy from: {@code sha256/BASE64} (as OkHttp and HPKP write pins) and openssl's
 * colon hex ({@code openssl x509 -noout -fingerprint -sha256}).
 */
public final class Fingerprints {
    private Fingerprints() {
    }

    /**
     * The 32 bytes a pin names: {@code sha256/} and 44 characters of base64, or 32 colon-separated
     * hex bytes (an openssl {@code sha256 Fingerprint=} prefix is allowed).
     *
     * @throws IllegalArgumentException naming the bad value and the two accepted forms
     */
    public static byte[] parse(String pin) {
        if (pin == null) {
            throw new IllegalArgumentException("pin is null");
        }
        String p = pin.trim();
        int eq = p.indexOf('=');
        if (p.toLowerCase(Locale.ROOT).startsWith("sha256 fingerprint=")) {
            p = p.substring(eq + 1);
        }
        try {
            if (p.startsWith("sha256/")) {
                byte[] hash = Base64.getDecoder().decode(p.substring("sha256/".length()));
                if (hash.length == 32) {
                    return hash;
                }
            } else if (p.length() == 95 && p.matches("([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}")) {
                byte[] hash = new byte[32];
                for (int i = 0; i < 32; i++) {
                    hash[i] = (byte) Integer.parseInt(p.substring(i * 3, i * 3 + 2), 16);
                }
                return hash;
            }
        } catch (IllegalArgumentException badBase64) {
            // refused below with the forms that are accepted
        }
        throw new IllegalArgumentException("pin '" + dev.tlsupgrade.internal.Text.escape(pin) + "' is not a SHA-256 "
                + "fingerprint; use sha256/BASE64 (44 base64 characters) or openssl's colon hex (AB:CD:...: 32 bytes)");
    }

    /** SHA-256 of the certificate's DER encoding. */
    public static byte[] ofCertificate(X509Certificate cert) {
        try {
            return sha256(cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode " + cert.getSubjectX500Principal() + ": " + e, e);
        }
    }

    /** SHA-256 of the certificate's SubjectPublicKeyInfo. */
    public static byte[] ofPublicKey(X509Certificate cert) {
        return sha256(cert.getPublicKey().getEncoded());
    }

    /** {@code sha256/BASE64}. */
    public static String base64(byte[] hash) {
        return "sha256/" + Base64.getEncoder().encodeToString(hash);
    }

    /** {@code AB:CD:...}, as openssl prints it. */
    public static String colonHex(byte[] hash) {
        StringBuilder sb = new StringBuilder(hash.length * 3);
        for (byte b : hash) {
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02X", b & 0xff));
        }
        return sb.toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
