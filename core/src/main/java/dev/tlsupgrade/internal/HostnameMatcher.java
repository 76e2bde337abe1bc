package dev.tlsupgrade.internal;

import java.net.IDN;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * RFC 6125 host name matching, the one rule every backend applies: an IP literal matches only an
 * IP address SAN; a DNS name matches a DNS SAN, with a wildcard allowed only as the whole left-most
 * label of a name with at least three labels, standing for exactly one label. The subject CN is
 * consulted only when the certificate has no SAN at all (old devices still issue such certificates).
 */
public final class HostnameMatcher {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private HostnameMatcher() {
    }

    /** True when {@code cert} is valid for {@code host}. */
    public static boolean matches(HostName host, X509Certificate cert) {
        List<List<?>> sans = subjectAltNames(cert);
        if (host.isIpLiteral()) {
            byte[] wanted = host.address();
            for (List<?> san : sans) {
                if (((Integer) san.get(0)) == SAN_IP) {
                    byte[] got = IpLiterals.parseV6((String) san.get(1)) != null
                            ? IpLiterals.parseV6((String) san.get(1)) : IpLiterals.parseV4((String) san.get(1));
                    if (got != null && Arrays.equals(normalise(got), normalise(wanted))) {
                        return true;
                    }
                }
            }
            return false;
        }
        if (!sans.isEmpty()) {
            for (List<?> san : sans) {
                if (((Integer) san.get(0)) == SAN_DNS && dnsMatches(host.name(), (String) san.get(1))) {
                    return true;
                }
            }
            return false;
        }
        String cn = commonName(cert);
        return cn != null && dnsMatches(host.name(), cn);
    }

    /** The names {@code cert} holds, for messages: {@code DNS:a.example, IP:192.0.2.1}, or {@code CN=...}. */
    public static List<String> namesOf(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        for (List<?> san : subjectAltNames(cert)) {
            int type = (Integer) san.get(0);
            if (type == SAN_DNS) {
                out.add("DNS:" + san.get(1));
            } else if (type == SAN_IP) {
                out.add("IP:" + san.get(1));
            }
        }
        if (out.isEmpty()) {
            String cn = commonName(cert);
            if (cn != null) {
                out.add("CN=" + cn);
            }
        }
        return out;
    }

    static boolean dnsMatches(String host, String pattern) {
        String h = trimDot(host.toLowerCase(Locale.ROOT));
        String p;
        try {
            p = trimDot(IDN.toASCII(pattern.trim()).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException notAName) {
            return false;
        }
        if (!p.contains("*")) {
            return h.equals(p);
        }
        String[] pl = p.split("\\.", -1);
        String[] hl = h.split("\\.", -1);
        if (!pl[0].equals("*") || p.indexOf('*', 1) >= 0 || pl.length < 3 || pl.length != hl.length
                || hl[0].isEmpty() || hl[0].startsWith("xn--")) {
            return false;
        }
        for (int i = 1; i < pl.length; i++) {
            if (!pl[i].equals(hl[i])) {
                return false;
            }
        }
        return true;
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
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

    private static List<List<?>> subjectAltNames(X509Certificate cert) {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            return sans == null ? List.of() : new ArrayList<>(sans);
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static String commonName(X509Certificate cert) {
        try {
            LdapName dn = new LdapName(cert.getSubjectX500Principal().getName(X500Principal.RFC2253));
            String cn = null;
            for (Rdn rdn : dn.getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = String.valueOf(rdn.getValue());
                }
            }
            return cn;
        } catch (InvalidNameException e) {
            return null;
        }
    }
}
