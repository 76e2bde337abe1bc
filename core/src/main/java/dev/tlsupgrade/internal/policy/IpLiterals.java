package dev.tlsupgrade.internal.policy;

import java.util.Locale;

/**
 * Parses and formats IPv4 and IPv6 literals without ever resolving a name (unlike
 * {@code InetAddress.getByName}, which falls back to DNS for anything that is not a literal).
 */
public final class IpLiterals {
    private IpLiterals() {
    }

    /** The 4 bytes of a dotted-quad IPv4 literal, or null if {@code s} is not one. */
    public static byte[] parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    /** The 16 bytes of an IPv6 literal (a zone id such as {@code %eth0} is ignored), or null. */
    public static byte[] parseV6(String s) {
        int zone = s.indexOf('%');
        String t = zone >= 0 ? s.substring(0, zone) : s;
        if (t.isEmpty() || t.indexOf(':') < 0) {
            return null;
        }
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        String[] halves = t.split("::", -1);
        if (halves.length > 2) {
            return null;
        }
        for (int h = 0; h < halves.length; h++) {
            if (h == 1) {
                gap = count;
            }
            String half = halves[h];
            if (half.isEmpty()) {
                continue;
            }
            String[] parts = half.split(":", -1);
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i];
                boolean last = h == halves.length - 1 && i == parts.length - 1;
                if (last && p.indexOf('.') >= 0) {
                    byte[] v4 = parseV4(p);
                    if (v4 == null || count > 6) {
                        return null;
                    }
                    groups[count++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                    groups[count++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                    continue;
                }
                if (p.isEmpty() || p.length() > 4 || count >= 8) {
                    return null;
                }
                for (char c : p.toCharArray()) {
                    if (Character.digit(c, 16) < 0) {
                        return null;
                    }
                }
                groups[count++] = Integer.parseInt(p, 16);
            }
        }
        if (gap < 0 && count != 8 || gap >= 0 && count > 7) {
            return null;
        }
        byte[] out = new byte[16];
        int fill = 8 - count;
        for (int i = 0; i < count; i++) {
            int slot = gap >= 0 && i >= gap ? i + fill : i;
            out[2 * slot] = (byte) (groups[i] >> 8);
            out[2 * slot + 1] = (byte) groups[i];
        }
        return out;
    }

    /** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run as {@code ::}). */
    public static String format(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
