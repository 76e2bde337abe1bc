package dev.tlsupgrade.internal.policy;

import dev.tlsupgrade.internal.Text;
import java.net.IDN;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A host a caller asked to connect to, checked and normalised before any byte is sent: either a DNS
 * name (lower case ASCII, no trailing dot, the form SNI and certificates use) or an IP literal.
 *
 * <p>It refuses what users pass by mistake: URLs, {@code host:port}, paths, blanks. An IP literal is
 * parsed here and never resolved, so no DNS lookup happens while checking.
 */
public final class HostName {
    private final String name;
    private final byte[] address;

    private HostName(String name, byte[] address) {
        this.name = name;
        this.address = address;
    }

    /**
     * Checks {@code host}.
     *
     * @throws IllegalArgumentException naming the bad value and what to pass instead
     */
    public static HostName of(String host) {
        if (host == null) {
            throw new IllegalArgumentException("host must not be null");
        }
        String h = host.trim();
        if (h.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (!h.equals(host)) {
            throw new IllegalArgumentException("host '" + Text.escape(host) + "' has leading or trailing white space");
        }
        int scheme = h.indexOf("://");
        if (scheme >= 0) {
            throw new IllegalArgumentException("host '" + Text.escape(host) + "' is a URL; pass only its host name"
                    + suggestion(urlHost(h.substring(scheme + 3))) + " and the port separately");
        }
        if (h.indexOf('/') >= 0 || h.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("host '" + Text.escape(host) + "' contains a path separator; pass only the host name");
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            byte[] v6 = IpLiterals.parseV6(h.substring(1, h.length() - 1));
            if (v6 != null) {
                return new HostName(IpLiterals.format(v6), v6);
            }
        }
        if (h.indexOf(':') >= 0) {
            byte[] v6 = IpLiterals.parseV6(h);
            if (v6 != null) {
                return new HostName(IpLiterals.format(v6), v6);
            }
            int colon = h.lastIndexOf(':');
            String before = h.startsWith("[") && h.lastIndexOf(']') > 0 ? h.substring(1, h.lastIndexOf(']')) : h.substring(0, colon);
            throw new IllegalArgumentException("host '" + Text.escape(host) + "' looks like host:port; pass the host"
                    + suggestion(before) + " and the port " + Text.escape(h.substring(colon + 1)) + " separately");
        }
        byte[] v4 = IpLiterals.parseV4(h);
        if (v4 != null) {
            return new HostName(IpLiterals.format(v4), v4);
        }
        if (digitsAndDots(h)) {
            throw new IllegalArgumentException("host '" + Text.escape(host) + "' is not a valid IPv4 address (four numbers 0-255 separated by dots)");
        }
        return new HostName(dnsName(host, h), null);
    }

    private static String dnsName(String original, String host) {
        // IDNA separators (ideographic, fullwidth and halfwidth full stops) are dots, also for the trailing-dot rule.
        String h = host.replace('\u3002', '.').replace('\uFF0E', '.').replace('\uFF61', '.');
        String n = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        if (n.isEmpty() || n.startsWith(".") || n.contains("..")) {
            throw new IllegalArgumentException("host '" + Text.escape(original) + "' is not a valid host name (empty label)");
        }
        String ascii;
        try {
            // Plain letter-digit-hyphen names (nearly all) are already what IDN would return, lower-cased.
            ascii = (isLetterDigitHyphen(n) ? n : IDN.toASCII(n, IDN.USE_STD3_ASCII_RULES)).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("host '" + Text.escape(original) + "' is not a valid DNS host name"
                    + " (letters, digits and '-' in dot-separated labels): " + Text.escape(e.getMessage()), e);
        }
        if (ascii.length() > 253) {
            throw new IllegalArgumentException("host '" + Text.escape(original) + "' is longer than 253 characters");
        }
        for (String label : ascii.split("\\.")) {
            if (label.length() > 63) {
                throw new IllegalArgumentException("host '" + Text.escape(original) + "' has a label longer than 63 characters");
            }
        }
        return ascii;
    }

    private static boolean digitsAndDots(String h) {
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** Dot-separated labels of ASCII letters, digits and inner hyphens: STD3 rules, nothing for IDN to do. */
    private static boolean isLetterDigitHyphen(String n) {
        char previous = '.';
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            boolean letterOrDigit = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (c == '-' && previous == '.' || c == '.' && previous == '-' || !letterOrDigit && c != '-' && c != '.') {
                return false;
            }
            previous = c;
        }
        return previous != '-';
    }

    private static String urlHost(String afterScheme) {
        String rest = afterScheme;
        int at = rest.indexOf('@');
        int slash = rest.indexOf('/');
        if (at >= 0 && (slash < 0 || at < slash)) {
            rest = rest.substring(at + 1);
        }
        int end = rest.length();
        for (char stop : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(stop);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        rest = rest.substring(0, end);
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            return close > 0 ? rest.substring(1, close) : rest;
        }
        int colon = rest.indexOf(':');
        return colon >= 0 ? rest.substring(0, colon) : rest;
    }

    private static String suggestion(String candidate) {
        return candidate == null || candidate.isEmpty() ? "" : " '" + Text.escape(candidate) + "'";
    }

    /** The normalised name: lower-case ASCII DNS name, or the canonical text of the IP literal. */
    public String name() {
        return name;
    }

    /** True for an IPv4 or IPv6 literal, for which no SNI is sent (RFC 6066). */
    public boolean isIpLiteral() {
        return address != null;
    }

    /** The literal's address bytes (4 or 16), or null for a DNS name. */
    public byte[] address() {
        return address == null ? null : address.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostName h && h.name.equals(name) && Arrays.equals(h.address, address);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
