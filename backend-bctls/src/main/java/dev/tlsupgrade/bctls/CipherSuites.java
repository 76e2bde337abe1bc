package dev.tlsupgrade.bctls;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.tls.CipherSuite;

/**
 * IANA cipher suite names and Bouncy Castle's numbers, both ways (Bouncy Castle names its constants
 * by the IANA names), and the suites the low-level path offers when none are pinned.
 */
final class CipherSuites {
    /**
     * Offered when the user pins none: TLS 1.3's AEAD suites, then ECDHE/DHE with AES-GCM,
     * ChaCha20-Poly1305 and AES-CBC with SHA-2 or SHA-1 (what TLS 1.0/1.1 servers can do). No RC4,
     * 3DES, export, NULL or static-RSA key exchange.
     */
    static final List<String> DEFAULTS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA");

    private static final Map<String, Integer> BY_NAME = new HashMap<>();
    private static final Map<Integer, String> BY_NUMBER = new HashMap<>();

    static {
        for (Field f : CipherSuite.class.getFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers()) && f.getName().startsWith("TLS_")) {
                try {
                    int n = f.getInt(null);
                    BY_NAME.put(f.getName(), n);
                    BY_NUMBER.putIfAbsent(n, f.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private CipherSuites() {
    }

    /** Bouncy Castle's numbers for {@code names}; an unknown name is an IllegalArgumentException. */
    static int[] numbers(List<String> names) {
        int[] out = new int[names.size()];
        for (int i = 0; i < out.length; i++) {
            Integer n = BY_NAME.get(names.get(i));
            if (n == null) {
                throw new IllegalArgumentException("bctls does not know the cipher suite " + names.get(i));
            }
            out[i] = n;
        }
        return out;
    }

    static String name(int number) {
        return BY_NUMBER.getOrDefault(number, String.format("0x%04X", number));
    }
}
