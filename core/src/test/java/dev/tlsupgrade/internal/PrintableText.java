package dev.tlsupgrade.internal;

/** What a message or a log line may hold once peer text is escaped: printable ASCII, spaces included. */
public final class PrintableText {
    private PrintableText() {
    }

    /** True when {@code s} holds no control character and nothing outside ASCII. */
    public static boolean is(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }
}
