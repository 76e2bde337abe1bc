package dev.tlsupgrade.internal.trust;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * The shape RFC 5280 gives certificates, checked on the validated path where the JDK's PKIX does
 * not look (it ignores what a trust anchor carries, and accepts serials and flags CAs must not
 * issue): a serial number positive and at most 20 bytes; the authority and subject key identifiers
 * never critical; an authorityInfoAccess that parses; a server certificate that is not a CA (no
 * cA flag, no keyCertSign, no name constraints); a CA's basicConstraints critical; no critical
 * extension in a trust anchor that nothing here understands. {@code allowLegacyCertificates()}
 * admits the serials, flags and criticality old devices' CAs got wrong; the rest has no escape.
 */
final class CertificateProfile {
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String NAME_CONSTRAINTS = "2.5.29.30";
    private static final String AUTHORITY_KEY_ID = "2.5.29.35";
    private static final String SUBJECT_KEY_ID = "2.5.29.14";
    private static final String AIA = "1.3.6.1.5.5.7.1.1";
    private static final int KEY_CERT_SIGN = 5;
    /** The extensions a trust anchor may mark critical: the ones path validation understands. */
    private static final Set<String> UNDERSTOOD = Set.of(BASIC_CONSTRAINTS, "2.5.29.15", NAME_CONSTRAINTS, "2.5.29.37",
            "2.5.29.36", "2.5.29.32", "2.5.29.17", "2.5.29.54", "2.5.29.33");

    private CertificateProfile() {
    }

    /** @param path the validated path, leaf first, its trust anchor last */
    static void check(X509Certificate[] path, X509Certificate[] anchors, boolean legacyAllowed) throws CertificateProblem {
        for (int i = 0; i < path.length; i++) {
            X509Certificate c = path[i];
            boolean anchor = List.of(anchors).contains(c);
            Set<String> critical = c.getCriticalExtensionOIDs() == null ? Set.of() : c.getCriticalExtensionOIDs();
            if (critical.contains(AUTHORITY_KEY_ID) || critical.contains(SUBJECT_KEY_ID)) {
                throw refused(i, c, "its " + (critical.contains(AUTHORITY_KEY_ID) ? "authority" : "subject")
                        + " key identifier is marked critical, which RFC 5280 forbids");
            }
            if (Extensions.value(c, AIA) != null && !aiaParses(Extensions.value(c, AIA))) {
                throw refused(i, c, "its authorityInfoAccess extension cannot be parsed");
            }
            if (!anchor) {
                checkSerial(i, c, legacyAllowed);
            }
            if (i == 0 && !anchor) {
                checkServerCertificate(c, legacyAllowed);
            } else if (i > 0) {
                if (Extensions.value(c, BASIC_CONSTRAINTS) != null && !critical.contains(BASIC_CONSTRAINTS) && !legacyAllowed) {
                    throw legacy(i, c, "its basicConstraints, which make it a CA, are not marked critical");
                }
                String unknown = anchor ? unknownCritical(c) : null;
                if (unknown != null) {
                    throw refused(i, c, "this trust anchor carries the critical extension " + unknown + ", which "
                            + "path validation does not understand, so it cannot be honoured");
                }
            }
        }
    }

    /** The first extension {@code c} marks critical that path validation does not understand, or null. */
    static String unknownCritical(X509Certificate c) {
        Set<String> critical = c.getCriticalExtensionOIDs() == null ? Set.of() : c.getCriticalExtensionOIDs();
        for (String oid : new java.util.TreeSet<>(critical)) {
            if (!UNDERSTOOD.contains(oid)) {
                return oid;
            }
        }
        return null;
    }

    private static void checkSerial(int i, X509Certificate c, boolean legacyAllowed) throws CertificateProblem {
        BigInteger serial = c.getSerialNumber();
        if (legacyAllowed) {
            return;
        }
        if (serial.signum() <= 0) {
            throw legacy(i, c, "its serial number " + serial + " is not positive");
        }
        if (serial.toByteArray().length > 20) {
            throw legacy(i, c, "its serial number takes " + serial.toByteArray().length + " bytes; at most 20 are allowed");
        }
    }

    private static void checkServerCertificate(X509Certificate c, boolean legacyAllowed) throws CertificateProblem {
        if (Extensions.value(c, NAME_CONSTRAINTS) != null) {
            throw refused(0, c, "it carries name constraints, which only a CA may");
        }
        if (legacyAllowed) {
            return;
        }
        if (c.getBasicConstraints() >= 0) {
            throw legacy(0, c, "it is marked as a CA (basicConstraints cA), yet serves as the server's certificate");
        }
        boolean[] ku = c.getKeyUsage();
        if (ku != null && ku.length > KEY_CERT_SIGN && ku[KEY_CERT_SIGN]) {
            throw legacy(0, c, "its key usage allows signing certificates (keyCertSign), which only a CA may");
        }
    }

    private static boolean aiaParses(byte[] extension) {
        try {
            DerReader access = new DerReader(new DerReader(extension).read(0x04)).sequence();
            while (!access.atEnd()) {
                DerReader d = access.sequence();
                d.read(0x06);
                d.read(d.peekTag());
                if (!d.atEnd()) {
                    return false;
                }
            }
            return true;
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private static CertificateProblem refused(int i, X509Certificate c, String why) {
        return CertificatePolicy.refused(i, c, why, "have it reissued by a CA that follows RFC 5280.");
    }

    private static CertificateProblem legacy(int i, X509Certificate c, String why) {
        return CertificatePolicy.refused(i, c, why, "have it reissued by a CA that follows RFC 5280; for an old device "
                + "whose CA cannot, allowLegacyCertificates() admits it (weak: only for that device).");
    }
}
