package dev.tlsupgrade.internal.trust;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A second hearing for a chain the JDK's validator refused only at its name-constraint check. The
 * JDK holds a certificate's subject CN to dNSName constraints, although RFC 5280 constrains the
 * subjectAltName (and host name checks here never read the CN beside one): a leaf for 127.0.0.1
 * whose CN is {@code bad.example.com} under a CA that excludes that name is refused, as is an
 * intermediate named {@code an-intermediate} under a CA that permits {@code example.com} only;
 * some 80 valid BetterTLS chains among them. Heard only when nothing else could have failed: the
 * path ends at an anchor the user configured (the platform's roots carry the JDK's distrust
 * policies, which run only after its validation passes), every constraint on the path is of
 * dNSName or iPAddress, and so is every name of the certificates it refused and those below (core
 * checks exactly those, by RFC 5280), and no certificate constrains or maps policies. Then the
 * platform's validator judges the path above the refused certificate, and the steps from it down
 * to the leaf are done here as PKIX does them (signature, dates, issuer a CA allowed to sign
 * certificates, path lengths, critical extensions understood); core's rules, its name
 * constraints among them, judge the whole path after. Anything else keeps the platform's refusal.
 */
final class NameConstraintsAppeal {
    /** Extensions a leaf may mark critical for the appeal: the ones PKIX and core process for it. */
    private static final Set<String> LEAF_UNDERSTOOD = Set.of("2.5.29.15", "2.5.29.37", "2.5.29.19", "2.5.29.17",
            "2.5.29.32");
    /** Extensions a CA may mark critical for the appeal: the leaf's and name constraints. */
    private static final Set<String> CA_UNDERSTOOD = Set.of("2.5.29.15", "2.5.29.37", "2.5.29.19", "2.5.29.17",
            "2.5.29.32", NameConstraintCheck.OID);
    /** Policy constraints, inhibitAnyPolicy, policy mappings: with them a certificate's policies could decide. */
    private static final Set<String> POLICY_RULES = Set.of("2.5.29.36", "2.5.29.54", "2.5.29.33");
    private static final int KEY_CERT_SIGN = 5;

    private NameConstraintsAppeal() {
    }

    /**
     * The path, leaf first and its anchor last, when {@code refusal} was the platform's
     * name-constraint check and the path passes the appeal; else null.
     *
     * @param curated whether an anchor is one of the platform's own roots
     */
    static X509Certificate[] hear(CertificateException refusal, X509Certificate[] anchors,
            Predicate<X509Certificate> curated) {
        CertPathValidatorException cpve = nameRefusal(refusal);
        if (cpve == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        List<X509Certificate> certs = (List<X509Certificate>) cpve.getCertPath().getCertificates();
        int refused = cpve.getIndex();
        X509Certificate top = certs.get(certs.size() - 1);
        X509Certificate anchor = null;
        for (X509Certificate a : anchors) {
            if (a.getSubjectX500Principal().equals(top.getIssuerX500Principal()) && CertificateVerifier.signedBy(top, a)) {
                anchor = a;
                break;
            }
        }
        if (anchor == null || curated.test(anchor)) {
            return null;
        }
        List<X509Certificate> path = new ArrayList<>(certs);
        path.add(anchor);
        if (!onlyNamesCoreChecks(path, refused) || path.stream().anyMatch(NameConstraintsAppeal::hasPolicyRules)
                || !pathLengthsHold(certs)) {
            return null;
        }
        Date now = new Date();
        try {
            if (refused + 1 < certs.size()) {
                validateAbove(certs.subList(refused + 1, certs.size()), anchors, now);
            }
            for (int i = refused; i >= 0; i--) {
                X509Certificate c = certs.get(i);
                X509Certificate issuer = path.get(i + 1);
                c.verify(issuer.getPublicKey());
                c.checkValidity(now);
                if (issuer != anchor && !mayIssue(issuer)) {
                    return null;
                }
                Set<String> critical = c.getCriticalExtensionOIDs() == null ? Set.of() : c.getCriticalExtensionOIDs();
                if (!(i == 0 ? LEAF_UNDERSTOOD : CA_UNDERSTOOD).containsAll(critical)) {
                    return null;
                }
            }
        } catch (GeneralSecurityException e) {
            return null;
        }
        return path.toArray(new X509Certificate[0]);
    }

    /** A CA certificate whose key may sign certificates. */
    private static boolean mayIssue(X509Certificate issuer) {
        boolean[] ku = issuer.getKeyUsage();
        return issuer.getBasicConstraints() >= 0 && (ku == null || ku.length > KEY_CERT_SIGN && ku[KEY_CERT_SIGN]);
    }

    /** Every CA's pathLenConstraint holds for the CAs below it that are not self-issued. */
    private static boolean pathLengthsHold(List<X509Certificate> certs) {
        for (int j = 1; j < certs.size(); j++) {
            int limit = certs.get(j).getBasicConstraints();
            int below = 0;
            for (int m = 1; m < j; m++) {
                if (!certs.get(m).getSubjectX500Principal().equals(certs.get(m).getIssuerX500Principal())) {
                    below++;
                }
            }
            if (limit >= 0 && below > limit) {
                return false;
            }
        }
        return true;
    }

    private static CertPathValidatorException nameRefusal(Throwable refusal) {
        for (Throwable t = refusal; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException cpve && cpve.getReason() == PKIXReason.INVALID_NAME
                    && cpve.getCertPath() != null && cpve.getIndex() >= 0
                    && cpve.getIndex() < cpve.getCertPath().getCertificates().size()
                    && cpve.getCertPath().getCertificates().stream().allMatch(c -> c instanceof X509Certificate)) {
                return cpve;
            }
        }
        return null;
    }

    /**
     * Every constraint of the path is of dNSName or iPAddress, and every name of the certificates
     * from {@code refused} down to the leaf too.
     */
    private static boolean onlyNamesCoreChecks(List<X509Certificate> path, int refused) {
        for (X509Certificate ca : path.subList(1, path.size())) {
            byte[] ext = Extensions.value(ca, NameConstraintCheck.OID);
            if (ext == null) {
                continue;
            }
            try {
                NameConstraintCheck.Constraints c = NameConstraintCheck.parse(ext);
                if (!c.otherTypes.isEmpty() || !c.permittedDn.isEmpty() || !c.excludedDn.isEmpty()) {
                    return false;
                }
            } catch (RuntimeException malformed) {
                return false;
            }
        }
        for (X509Certificate c : path.subList(0, refused + 1)) {
            try {
                if (!CertificateNames.of(c).otherNames().isEmpty()) {
                    return false;
                }
            } catch (CertificateNames.MalformedNameException e) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasPolicyRules(X509Certificate c) {
        return POLICY_RULES.stream().anyMatch(oid -> Extensions.value(c, oid) != null);
    }

    /** The platform's PKIX over the path above the leaf, as the leaf's issuer were the server. */
    private static void validateAbove(List<X509Certificate> above, X509Certificate[] anchors, Date now)
            throws GeneralSecurityException {
        Set<TrustAnchor> trust = new HashSet<>();
        for (X509Certificate a : anchors) {
            trust.add(new TrustAnchor(a, null));
        }
        PKIXParameters params = new PKIXParameters(trust);
        params.setRevocationEnabled(false);
        params.setDate(now);
        CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(above);
        CertPathValidator.getInstance("PKIX").validate(path, params);
    }
}
