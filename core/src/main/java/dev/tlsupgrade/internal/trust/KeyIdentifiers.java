package dev.tlsupgrade.internal.trust;

import java.security.cert.X509Certificate;

/**
 * A certificate's key identifiers (RFC 5280 4.2.1.1 and 4.2.1.2), which name the issuer's key
 * independently of the issuer's name, read with {@link DerReader}: malformed extensions give null.
 */
final class KeyIdentifiers {
    private static final String AUTHORITY = "2.5.29.35";
    private static final String SUBJECT = "2.5.29.14";

    private KeyIdentifiers() {
    }

    /** The keyIdentifier of the authorityKeyIdentifier extension, or null. */
    static byte[] authority(X509Certificate c) {
        return authority(Extensions.value(c, AUTHORITY));
    }

    /** The keyIdentifier of an authorityKeyIdentifier extension value, or null. */
    static byte[] authority(byte[] ext) {
        if (ext == null) {
            return null;
        }
        try {
            DerReader aki = new DerReader(new DerReader(ext).read(0x04)).sequence();
            return !aki.atEnd() && aki.peekTag() == 0x80 ? aki.read(0x80) : null;
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    /**
     * Whether an authorityKeyIdentifier extension value carries authorityCertIssuer or
     * authorityCertSerialNumber, naming the issuer's certificate rather than its key; false if malformed.
     */
    static boolean namesIssuer(byte[] ext) {
        try {
            DerReader aki = new DerReader(new DerReader(ext).read(0x04)).sequence();
            while (!aki.atEnd()) {
                int tag = aki.peekTag();
                if (tag == 0xa1 || tag == 0x82) {
                    return true;
                }
                aki.read(tag);
            }
            return false;
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    /** The subjectKeyIdentifier, or null. */
    static byte[] subject(X509Certificate c) {
        return subject(Extensions.value(c, SUBJECT));
    }

    /** The key identifier of a subjectKeyIdentifier extension value, or null. */
    static byte[] subject(byte[] ext) {
        if (ext == null) {
            return null;
        }
        try {
            return new DerReader(new DerReader(ext).read(0x04)).read(0x04);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }
}
