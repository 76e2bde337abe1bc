package dev.tlsupgrade.internal;

/**
 * Text from certificates and peers made safe for a message or a log line: control characters and
 * everything outside printable ASCII become {@code \\uXXXX} (so a name holding a newline cannot
 * forge a second log line, and look-alike characters show as what they are), and a backslash is
 * doubled.
 */
public final class Text {
    private Text() {
    }

    public static String escape(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean plain = c >= 0x20 && c < 0x7f && c != '\\';
            if (plain && sb == null) {
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (plain) {
                sb.append(c);
            } else if (c == '\\') {
                sb.append("\\\\");
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb == null ? s : sb.toString();
    }
}
