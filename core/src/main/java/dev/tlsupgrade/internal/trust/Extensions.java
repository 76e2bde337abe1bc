package dev.tlsupgrade.internal.trust;

import java.security.cert.X509Certificate;
import java.util.Set;

/**
 * A certificate extension's DER value, or null when the certificate has none. The JDK's
 * {@code getExtensionValue} answers an absent extension by building and catching an exception
 * inside; asked on every handshake for every certificate of the path (most extensions asked for are
 * absent), that was most of core's trust-decision time (profiled). The extension sets are read first.
 */
final class Extensions {
    private Extensions() {
    }

    static byte[] value(X509Certificate c, String oid) {
        return has(c.getNonCriticalExtensionOIDs(), oid) || has(c.getCriticalExtensionOIDs(), oid) ? c.getExtensionValue(oid) : null;
    }

    private static boolean has(Set<String> oids, String oid) {
        return oids != null && oids.contains(oid);
    }
}
