package dev.tlsupgrade.internal.trust;

import dev.tlsupgrade.FailureKind;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * RFC 5280 name constraints on dNSName and iPAddress, enforced by core for every CA of the validated
 * path, the trust anchor included (the JDK ignores an anchor's constraints, and private roots given
 * to {@code trustedCertificates(...)} are where constrained roots come from). Names are read from the
 * certificates' own bytes. A dNSName subtree {@code example.com} holds example.com and every name
 * under it (a leading period, OpenSSL's spelling, is malformed: RFC 5280 keeps it for URIs); an
 * iPAddress subtree is an address and a mask; an anchor's directoryName subtree is a prefix of RDNs
 * of the subjects below it. A constraint that cannot be parsed, and a constraint of another type on
 * an anchor (which nothing else checks), fail closed; other types on intermediates are the platform
 * PKIX's, which checks them.
 */
final class NameConstraintCheck {
    static final String OID = "2.5.29.30";
    /**
     * The most name-against-subtree comparisons one path may ask for: a CA with thousands of
     * subtrees over a leaf with thousands of names would otherwise cost seconds per handshake.
     */
    static final int BUDGET = 100_000;

    private NameConstraintCheck() {
    }

    /** The constraints of one CA. */
    static final class Constraints {
        final List<String> permittedDns = new ArrayList<>();
        final List<String> excludedDns = new ArrayList<>();
        final List<byte[]> permittedIp = new ArrayList<>();
        final List<byte[]> excludedIp = new ArrayList<>();
        final List<List<Rdn>> permittedDn = new ArrayList<>();
        final List<List<Rdn>> excludedDn = new ArrayList<>();
        final List<String> otherTypes = new ArrayList<>();
    }

    /**
     * @param path the validated path, leaf first, ending with the trust anchor
     * @param anchorIndex the index of the trust anchor in {@code path}
     * @param leafCommonName the leaf's CN when the CN fallback applies to it, else null
     */
    static void check(X509Certificate[] path, int anchorIndex, String leafCommonName) throws CertificateProblem {
        long comparisons = 0;
        for (int ca = 1; ca < path.length; ca++) {
            byte[] ext = Extensions.value(path[ca], OID);
            if (ext == null) {
                continue;
            }
            Constraints c;
            try {
                c = parse(ext);
            } catch (RuntimeException e) {
                throw problem(ca, path[ca], "its name constraints cannot be parsed (" + e.getMessage() + ")", null);
            }
            if (path[ca].getCriticalExtensionOIDs() == null || !path[ca].getCriticalExtensionOIDs().contains(OID)) {
                throw problem(ca, path[ca], "its name constraints are not marked critical, as RFC 5280 requires", null);
            }
            if (c.permittedDns.isEmpty() && c.excludedDns.isEmpty() && c.permittedIp.isEmpty() && c.excludedIp.isEmpty()
                    && c.permittedDn.isEmpty() && c.excludedDn.isEmpty() && c.otherTypes.isEmpty()) {
                throw problem(ca, path[ca], "its name constraints are empty, which RFC 5280 forbids", null);
            }
            if (ca == anchorIndex && !c.otherTypes.isEmpty()) {
                throw problem(ca, path[ca], "it constrains names of types " + c.otherTypes + ", which tlsupgrade does not "
                        + "check on a trust anchor", null);
            }
            for (int below = 0; below < ca; below++) {
                if (below > 0 && path[below].getSubjectX500Principal().equals(path[below].getIssuerX500Principal())) {
                    continue; // RFC 5280 6.1.3: a self-issued CA certificate inside the path is exempt (key rollover)
                }
                CertificateNames names;
                try {
                    names = CertificateNames.of(path[below]);
                } catch (CertificateNames.MalformedNameException e) {
                    throw problem(below, path[below], "its subjectAltName is malformed", null);
                }
                if (ca == anchorIndex) {
                    // The platform checks directory names for the CAs of the path, but not for the anchor's constraints.
                    checkDirectoryName(path, below, ca, c);
                }
                List<String> dns = new ArrayList<>(names.dnsNames());
                if (below == 0 && leafCommonName != null) {
                    dns.add(leafCommonName);
                }
                int subtrees = c.permittedDns.size() + c.excludedDns.size() + c.permittedIp.size() + c.excludedIp.size();
                comparisons += (long) subtrees * (dns.size() + names.ipAddresses().size());
                if (comparisons > BUDGET) {
                    throw problem(below, path[below], "checking its " + (dns.size() + names.ipAddresses().size())
                            + " names against the " + subtrees + " name constraints of certificate " + ca + " would take "
                            + "more than " + BUDGET + " comparisons, which no real chain needs", path[ca]);
                }
                if (!c.permittedDns.isEmpty() || !c.excludedDns.isEmpty()) {
                    for (String name : dns) {
                        if (!validDnsName(name, below == 0)) {
                            throw problem(below, path[below], "its name '" + name + "' is not a valid DNS name, so the "
                                    + "name constraints of certificate " + ca + " cannot judge it", path[ca]);
                        }
                    }
                }
                for (String name : dns) {
                    if (!c.permittedDns.isEmpty() && c.permittedDns.stream().noneMatch(base -> within(name, base))) {
                        throw problem(below, path[below], "its name '" + name + "' is outside the names certificate " + ca
                                + " permits " + c.permittedDns, path[ca]);
                    }
                    for (String base : c.excludedDns) {
                        if (within(name, base) || wildcardReaches(name, base)) {
                            throw problem(below, path[below], "its name '" + name + "' is in the subtree '" + base
                                    + "' that certificate " + ca + " excludes", path[ca]);
                        }
                    }
                }
                for (byte[] presented : names.ipAddresses()) {
                    List<byte[]> forms = forms(presented);
                    if (!c.permittedIp.isEmpty()
                            && c.permittedIp.stream().noneMatch(net -> forms.stream().anyMatch(ip -> inSubnet(ip, net)))) {
                        throw problem(below, path[below], "its IP address is outside those certificate " + ca + " permits",
                                path[ca]);
                    }
                    for (byte[] net : c.excludedIp) {
                        if (forms.stream().anyMatch(ip -> inSubnet(ip, net))) {
                            throw problem(below, path[below], "its IP address is in a range certificate " + ca + " excludes",
                                    path[ca]);
                        }
                    }
                }
            }
        }
    }

    /**
     * Whether {@code name} is a DNS name constraints can judge: labels of letters, digits and
     * hyphens, none empty (no leading, trailing or double dot); {@code wildcardAllowed}: the first
     * label may be {@code *}.
     */
    static boolean validDnsName(String name, boolean wildcardAllowed) {
        String n = wildcardAllowed && name.startsWith("*.") ? name.substring(2) : name;
        if (n.isEmpty() || n.length() > 253) {
            return false;
        }
        for (String label : n.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char ch = label.charAt(i);
                boolean ok = ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-'
                        || ch == '_';
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    /** True when the DNS name {@code name} (as presented, case-folded) lies in the subtree {@code base}. */
    static boolean within(String name, String base) {
        String n = name.toLowerCase(Locale.ROOT);
        String b = base.toLowerCase(Locale.ROOT);
        if (b.isEmpty()) {
            return true; // the empty name is the whole namespace
        }
        if (b.startsWith(".")) {
            return n.endsWith(b);
        }
        return n.equals(b) || n.endsWith("." + b);
    }

    /**
     * True when the wildcard name {@code name} ({@code *.example.com}) can stand for a name of the
     * subtree {@code base}: the wildcard's one label may be the subtree's own name
     * ({@code sub.example.com}), which an excluded subtree then forbids.
     */
    static boolean wildcardReaches(String name, String base) {
        if (!name.startsWith("*.")) {
            return false;
        }
        String domain = name.substring(2).toLowerCase(Locale.ROOT);
        String b = base.toLowerCase(Locale.ROOT);
        if (b.startsWith(".")) {
            return false; // only names under the base, which one wildcard label cannot reach
        }
        int dot = b.indexOf('.');
        return dot > 0 && b.substring(dot + 1).equals(domain);
    }

    /**
     * An address as the constraints must see it: an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d})
     * is also its IPv4 address, which host name matching accepts for it, so IPv4 constraints bind it.
     */
    private static List<byte[]> forms(byte[] ip) {
        if (ip.length != 16) {
            return List.of(ip);
        }
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return List.of(ip);
            }
        }
        if (ip[10] != (byte) 0xff || ip[11] != (byte) 0xff) {
            return List.of(ip);
        }
        return List.of(ip, java.util.Arrays.copyOfRange(ip, 12, 16));
    }

    private static boolean inSubnet(byte[] ip, byte[] net) {
        int half = net.length / 2;
        if (ip.length != half) {
            return false;
        }
        for (int i = 0; i < half; i++) {
            if ((ip[i] & net[half + i]) != (net[i] & net[half + i])) {
                return false;
            }
        }
        return true;
    }

    /** The constraints of a nameConstraints extension value; IllegalArgumentException when malformed. */
    static Constraints parse(byte[] ext) {
        DerReader outer = new DerReader(ext);
        DerReader nc = new DerReader(outer.read(0x04)).sequence();
        Constraints c = new Constraints();
        while (!nc.atEnd()) {
            int tag = nc.peekTag();
            boolean permitted = tag == 0xa0;
            if (tag != 0xa0 && tag != 0xa1) {
                throw new IllegalArgumentException(String.format("unexpected tag 0x%02x", tag));
            }
            DerReader subtrees = nc.constructed(tag);
            if (subtrees.atEnd()) {
                throw new IllegalArgumentException((permitted ? "permitted" : "excluded") + " subtrees present but empty");
            }
            while (!subtrees.atEnd()) {
                DerReader subtree = subtrees.sequence();
                int type = subtree.peekTag();
                byte[] base = subtree.read(type);
                if (type == 0x82) {
                    String name = new String(base, StandardCharsets.ISO_8859_1);
                    if (name.startsWith(".")) {
                        // OpenSSL reads ".example.com" as "names under example.com"; RFC 5280 4.2.1.10 gives a leading
                        // period to URI constraints only, and "example.com" already holds every name under it.
                        throw new IllegalArgumentException("the dNSName constraint '" + name + "' starts with a period, "
                                + "which RFC 5280 allows for URIs only");
                    }
                    (permitted ? c.permittedDns : c.excludedDns).add(name);
                } else if (type == 0xa4) {
                    (permitted ? c.permittedDn : c.excludedDn).add(rdns(new javax.security.auth.x500.X500Principal(base)));
                } else if (type == 0x87) {
                    if (base.length != 8 && base.length != 32) {
                        throw new IllegalArgumentException("an iPAddress constraint of " + base.length + " bytes");
                    }
                    (permitted ? c.permittedIp : c.excludedIp).add(base);
                } else {
                    c.otherTypes.add(String.format("[%d]", type & 0x1f));
                }
            }
        }
        return c;
    }

    /**
     * RFC 5280 4.2.1.10 directoryName subtrees: the subject of certificate {@code below}, unless it is
     * empty, must begin with the RDNs of a permitted subtree and with those of no excluded one.
     */
    private static void checkDirectoryName(X509Certificate[] path, int below, int ca, Constraints c)
            throws CertificateProblem {
        if (c.permittedDn.isEmpty() && c.excludedDn.isEmpty()) {
            return;
        }
        List<Rdn> subject = rdns(path[below].getSubjectX500Principal());
        if (subject.isEmpty()) {
            return;
        }
        String name = path[below].getSubjectX500Principal().getName();
        if (!c.permittedDn.isEmpty() && c.permittedDn.stream().noneMatch(base -> startsWith(subject, base))) {
            throw problem(below, path[below], "its subject '" + name + "' is outside the directory names certificate "
                    + ca + " permits", path[ca]);
        }
        if (c.excludedDn.stream().anyMatch(base -> startsWith(subject, base))) {
            throw problem(below, path[below], "its subject '" + name + "' is in a directory subtree certificate " + ca
                    + " excludes", path[ca]);
        }
    }

    /** The RDNs of {@code name}, most significant (first encoded) first, compared as LDAP compares them. */
    private static List<Rdn> rdns(javax.security.auth.x500.X500Principal name) {
        try {
            return new ArrayList<>(new LdapName(name.getName(javax.security.auth.x500.X500Principal.RFC2253)).getRdns());
        } catch (InvalidNameException e) {
            throw new IllegalArgumentException("a directory name that cannot be read: " + e.getMessage(), e);
        }
    }

    private static boolean startsWith(List<Rdn> name, List<Rdn> base) {
        return base.size() <= name.size() && name.subList(0, base.size()).equals(base);
    }

    private static CertificateProblem problem(int index, X509Certificate cert, String why, X509Certificate constrainer) {
        String subject = CertificateVerifier.subject(cert);
        return new CertificateProblem(FailureKind.CERTIFICATE_UNTRUSTED, index, subject,
                "certificate " + index + " '" + subject + "' is refused: " + dev.tlsupgrade.internal.Text.escape(why) + ".",
                constrainer == null ? "have the CA's certificate reissued."
                        : "the CA '" + CertificateVerifier.subject(constrainer) + "' may not issue this name; "
                                + "have the certificate issued by a CA that may.", null);
    }
}
