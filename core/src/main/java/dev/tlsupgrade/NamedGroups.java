package dev.tlsupgrade;

import java.util.List;
import java.util.Locale;

/** The TLS key exchange group names a config may use (the IANA registry's, as JSSE spells them). */
final class NamedGroups {
    private static final List<String> KNOWN = List.of("x25519", "x448", "secp256r1", "secp384r1", "secp521r1",
            "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192", "X25519MLKEM768", "SecP256r1MLKEM768",
            "SecP384r1MLKEM1024");

    private NamedGroups() {
    }

    /** The canonical spelling of {@code name}, matched without regard to case. */
    static String canonical(String name) {
        if (name != null) {
            String lower = name.trim().toLowerCase(Locale.ROOT);
            for (String k : KNOWN) {
                if (k.toLowerCase(Locale.ROOT).equals(lower)) {
                    return k;
                }
            }
        }
        throw new IllegalArgumentException("named group '" + name + "' is not one of " + KNOWN);
    }
}
