package dev.tlsupgrade.internal.trust;

import dev.tlsupgrade.internal.policy.HostName;
import dev.tlsupgrade.internal.policy.IpLiterals;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * RFC 6125 host name matching, the one rule every backend applies, on names read from the
 * certificate's own bytes ({@link CertificateNames}):
 * <ul>
 *   <li>an IP literal matches only an iPAddress SAN, byte for byte (never the CN);
 *   <li>a DNS name matches a dNSName SAN compared as ASCII, case-folded, nothing else: a presented
 *       name with a trailing dot, white space, a non-ASCII character, an empty label or a character
 *       outside letters, digits and '-' never matches;
 *   <li>a wildcard only as the whole left-most label ({@code *.example.com}) of a name of three or
 *       more labels, standing for exactly one label that is not an A-label, and never directly under a
 *       public suffix ({@code *.co.uk}, {@code *.s3.amazonaws.com}: {@link PublicSuffixes});
 *   <li>the subject CN only with {@code allowCommonNameFallback()}, only when the certificate has no
 *       subjectAltName extension at all, and only when it is a valid host name by the same rules.
 * </ul>
 */
public final class HostnameMatcher {
    private HostnameMatcher() {
    }

    /**
     * True when {@code cert} is valid for {@code host}.
     *
     * @throws CertificateNames.MalformedNameException when its subjectAltName cannot be parsed
     */
    static boolean matches(HostName host, X509Certificate cert, boolean commonNameFallback)
            throws CertificateNames.MalformedNameException {
        CertificateNames names = CertificateNames.of(cert);
        if (host.isIpLiteral()) {
            byte[] wanted = normalise(host.address());
            for (byte[] ip : names.ipAddresses()) {
                if (Arrays.equals(normalise(ip), wanted)) {
                    return true;
                }
            }
            return false;
        }
        for (String presented : names.dnsNames()) {
            if (dnsMatches(host.name(), presented)) {
                return true;
            }
        }
        if (commonNameFallback && !names.hasSanExtension()) {
            String cn = CertificateNames.commonName(cert);
            return cn != null && dnsMatches(host.name(), cn);
        }
        return false;
    }

    /** The names {@code cert} holds, for messages (escape them before use): {@code DNS:a.example}, {@code IP:192.0.2.1}. */
    public static List<String> namesOf(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            CertificateNames names = CertificateNames.of(cert);
            for (String dns : names.dnsNames()) {
                out.add("DNS:" + dns);
            }
            for (byte[] ip : names.ipAddresses()) {
                out.add("IP:" + IpLiterals.format(ip));
            }
            if (!names.hasSanExtension()) {
                String cn = CertificateNames.commonName(cert);
                if (cn != null) {
                    out.add("CN=" + cn);
                }
            }
        } catch (CertificateNames.MalformedNameException e) {
            out.add("a malformed subjectAltName");
        }
        return out;
    }

    /**
     * True when the presented name {@code pattern} (from a certificate, as encoded) matches the
     * reference {@code host} (a normalised {@link HostName}).
     */
    static boolean dnsMatches(String host, String pattern) {
        if (!isPresentedName(pattern)) {
            return false;
        }
        String p = pattern.toLowerCase(Locale.ROOT);
        if (!p.startsWith("*.")) {
            return host.equals(p);
        }
        String[] pl = p.split("\\.", -1);
        String[] hl = host.split("\\.", -1);
        if (pl.length < 3 || pl.length != hl.length || hl[0].isEmpty() || hl[0].startsWith("xn--")) {
            return false;
        }
        for (int i = 1; i < pl.length; i++) {
            if (!pl[i].equals(hl[i])) {
                return false;
            }
        }
        return !PublicSuffixes.isPublicSuffix(p.substring(2));
    }

    /** A DNS name as a certificate may present it: LDH labels, an optional whole-label '*' first, nothing else. */
    static boolean isPresentedName(String name) {
        if (name == null || name.isEmpty() || name.length() > 253) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            if (label.isEmpty() || label.length() > 63) {
                return false; // an empty label, a leading, doubled or trailing dot
            }
            if (i == 0 && label.equals("*")) {
                continue;
            }
            for (int j = 0; j < label.length(); j++) {
                char c = label.charAt(j);
                boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                        || c == '-' && j > 0 && j < label.length() - 1;
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private static byte[] normalise(byte[] a) {
        if (a.length == 16) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= a[i] == 0;
            }
            if (mapped && a[10] == (byte) 0xff && a[11] == (byte) 0xff) {
                return Arrays.copyOfRange(a, 12, 16);
            }
        }
        return a;
    }
}
