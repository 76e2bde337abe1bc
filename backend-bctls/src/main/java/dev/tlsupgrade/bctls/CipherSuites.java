package dev.tlsupgrade.bctls;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.tls.CipherSuite;

/**
 * IANA cipher suite names and Bouncy Castle's numbers, both ways (Bouncy Castle names its constants
 * by the IANA names). Which suites are offered is core's suite policy.
 */
final class CipherSuites {
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

    /** Every suite name Bouncy Castle knows. */
    static java.util.Set<String> names() {
        return java.util.Set.copyOf(BY_NAME.keySet());
    }

    static String name(int number) {
        String name = BY_NUMBER.get(number);
        return name != null ? name : String.format("0x%04X", number);
    }
}
