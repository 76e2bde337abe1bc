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
 * cA flag, no keyCertSign, no name constraints); a CA's basicConstraints and policyConstraints critical; no critical
 * extension in a trust anchor that nothing here understands; an authority key identifier (its
 * keyIdentifier) in every certificate but a self-issued one and the anchor, a subject key identifier in every CA.
 * A trust anchor the user configured (not one of the platform's, whose roots their vendor curates:
 * some of the JDK's have no subject key identifier, or name their issuer in the authority key
 * identifier, and stay trusted) is also held to the root profile: not expired, and, when it is a
 * root (self-issued), an authority key identifier, if any, with only a keyIdentifier, equal to its
 * own subject key identifier. {@code allowLegacyCertificates()} admits the serials, flags,
 * criticality and key identifiers old devices' CAs got wrong; the rest has no escape.
 */
final class CertificateProfile {
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String NAME_CONSTRAINTS = "2.5.29.30";
    private static final String AUTHORITY_KEY_ID = "2.5.29.35";
    private static final String SUBJECT_KEY_ID = "2.5.29.14";
    private static final String AIA = "1.3.6.1.5.5.7.1.1";
    private static final String POLICY_CONSTRAINTS = "2.5.29.36";
    private static final int KEY_CERT_SIGN = 5;
    /** The extensions a trust anchor may mark critical: the ones path validation understands. */
    private static final Set<String> UNDERSTOOD = Set.of(BASIC_CONSTRAINTS, "2.5.29.15", NAME_CONSTRAINTS, "2.5.29.37",
            POLICY_CONSTRAINTS, "2.5.29.32", "2.5.29.17", "2.5.29.54", "2.5.29.33");

    private CertificateProfile() {
    }

    /**
     * @param path the validated path, leaf first, its trust anchor last
     * @param anchorCurated whether the path's trust anchor is one of the platform's own, not one the user configured
     */
    static void check(X509Certificate[] path, X509Certificate[] anchors, boolean legacyAllowed, boolean anchorCurated)
            throws CertificateProblem {
        for (int i = 0; i < path.length; i++) {
            X509Certificate c = path[i];
            boolean anchor = List.of(anchors).contains(c);
            if (anchor && !anchorCurated) {
                checkConfiguredAnchor(i, c, legacyAllowed);
            }
            if (!legacyAllowed && !(anchor && anchorCurated)) {
                checkKeyIdentifiers(i, c, anchor);
            }
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
                if (Extensions.value(c, POLICY_CONSTRAINTS) != null && !critical.contains(POLICY_CONSTRAINTS)
                        && !legacyAllowed) {
                    throw legacy(i, c, "its policyConstraints are not marked critical, as RFC 5280 requires");
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
        Set<String> critical = c.getCriticalExtensionOIDs();
        String first = null;
        for (String oid : critical == null ? Set.<String>of() : critical) {
            // the least in string order, so that the message is the same whatever the set's order
            if (!UNDERSTOOD.contains(oid) && (first == null || oid.compareTo(first) < 0)) {
                first = oid;
            }
        }
        return first;
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

    /**
     * An authority key identifier in all but a self-issued certificate and the trust anchor (whose
     * issuer is beyond the path: an intermediate trusted directly names nothing the path uses), a
     * subject key identifier in every CA.
     */
    private static void checkKeyIdentifiers(int i, X509Certificate c, boolean anchor) throws CertificateProblem {
        if (!anchor && !selfIssued(c) && KeyIdentifiers.authority(c) == null) {
            throw legacy(i, c, "it has no authority key identifier (keyIdentifier), which RFC 5280 requires in every "
                    + "certificate but a self-signed one");
        }
        if (i > 0 && KeyIdentifiers.subject(c) == null) {
            throw legacy(i, c, "it is a CA without a subject key identifier, which RFC 5280 requires in every CA certificate");
        }
    }

    /**
     * The root profile for an anchor the user configured: in date, and, if it is a root (self-issued),
     * an authority key identifier of the right shape.
     */
    private static void checkConfiguredAnchor(int i, X509Certificate c, boolean legacyAllowed) throws CertificateProblem {
        if (c.getNotAfter().before(new java.util.Date())) {
            String subject = CertificateVerifier.subject(c);
            throw new CertificateProblem(dev.tlsupgrade.FailureKind.CERTIFICATE_EXPIRED, i, subject, "the trust anchor '"
                    + subject + "' expired on " + c.getNotAfter().toInstant() + "; an expired root vouches for nothing.",
                    "configure the CA's current root certificate.", null);
        }
        byte[] aki = Extensions.value(c, AUTHORITY_KEY_ID);
        if (legacyAllowed || aki == null || !selfIssued(c)) {
            // An intermediate trusted directly names its issuer's key as intermediates do (Microsoft's CAs add the
            // issuer's name and serial): the root profile is for roots.
            return;
        }
        byte[] keyId = KeyIdentifiers.authority(aki);
        if (keyId == null) {
            throw legacy(i, c, "its authority key identifier has no keyIdentifier");
        }
        if (KeyIdentifiers.namesIssuer(aki)) {
            throw legacy(i, c, "its authority key identifier names its issuer and serial number, which a root's must not");
        }
        byte[] ski = KeyIdentifiers.subject(c);
        if (ski != null && !java.util.Arrays.equals(keyId, ski)) {
            throw legacy(i, c, "its authority key identifier differs from its subject key identifier, although it is "
                    + "self-signed");
        }
    }

    private static boolean selfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
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
