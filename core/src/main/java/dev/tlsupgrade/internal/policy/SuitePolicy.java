package dev.tlsupgrade.internal.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one cipher suite policy every backend applies, decided in core. When the user pins no suites,
 * every backend offers exactly {@link #defaults(boolean, Collection)} in this order (less what it
 * cannot do): TLS 1.3's suites, then forward-secret AEAD suites, then ECDHE with CBC (old Windows
 * servers, 2012 R2 among them, have no ECDHE-RSA-GCM, so reach must not shrink); static-RSA key
 * exchange and 3DES only when a legacy version (TLS 1.0/1.1) is offered. A pinned anonymous, NULL,
 * EXPORT, RC4 or single-DES suite is refused with the reason.
 */
public final class SuitePolicy {
    /** IANA name to IANA code, in the order offered. */
    private static final Map<String, Integer> MODERN = new LinkedHashMap<>();
    private static final Map<String, Integer> LEGACY_ONLY = new LinkedHashMap<>();

    static {
        MODERN.put("TLS_AES_128_GCM_SHA256", 0x1301);
        MODERN.put("TLS_AES_256_GCM_SHA384", 0x1302);
        MODERN.put("TLS_CHACHA20_POLY1305_SHA256", 0x1303);
        MODERN.put("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xc02b);
        MODERN.put("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xc02f);
        MODERN.put("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 0xc02c);
        MODERN.put("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0xc030);
        MODERN.put("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 0xcca9);
        MODERN.put("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xcca8);
        MODERN.put("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", 0x009e);
        MODERN.put("TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", 0x009f);
        MODERN.put("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", 0xc023);
        MODERN.put("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", 0xc027);
        MODERN.put("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", 0xc024);
        MODERN.put("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", 0xc028);
        MODERN.put("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0xc009);
        MODERN.put("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", 0xc013);
        MODERN.put("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", 0xc00a);
        MODERN.put("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", 0xc014);
        LEGACY_ONLY.put("TLS_DHE_RSA_WITH_AES_128_CBC_SHA", 0x0033);
        LEGACY_ONLY.put("TLS_DHE_RSA_WITH_AES_256_CBC_SHA", 0x0039);
        LEGACY_ONLY.put("TLS_RSA_WITH_AES_128_GCM_SHA256", 0x009c);
        LEGACY_ONLY.put("TLS_RSA_WITH_AES_256_GCM_SHA384", 0x009d);
        LEGACY_ONLY.put("TLS_RSA_WITH_AES_128_CBC_SHA", 0x002f);
        LEGACY_ONLY.put("TLS_RSA_WITH_AES_256_CBC_SHA", 0x0035);
        LEGACY_ONLY.put("TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", 0xc012);
        LEGACY_ONLY.put("TLS_RSA_WITH_3DES_EDE_CBC_SHA", 0x000a);
    }

    private SuitePolicy() {
    }

    /**
     * The suites to offer when none are pinned: the policy's, in its order, that {@code supported}
     * holds (the backend's names); the legacy-only ones when {@code legacyOffered}.
     */
    public static List<String> defaults(boolean legacyOffered, Collection<String> supported) {
        List<String> out = new ArrayList<>();
        for (String s : MODERN.keySet()) {
            if (supported.contains(s)) {
                out.add(s);
            }
        }
        if (legacyOffered) {
            for (String s : LEGACY_ONLY.keySet()) {
                if (supported.contains(s)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** The IANA codes a config may offer: the policy's (with the legacy-only ones when legacy is offered). */
    public static List<Integer> allowedCodes(boolean legacyOffered) {
        List<Integer> out = new ArrayList<>(MODERN.values());
        if (legacyOffered) {
            out.addAll(LEGACY_ONLY.values());
        }
        return out;
    }

    /** The IANA codes of the policy's AEAD suites (TLS 1.3's and forward-secret GCM/ChaCha20). */
    public static List<Integer> aeadCodes() {
        List<Integer> out = new ArrayList<>();
        MODERN.forEach((name, code) -> {
            if (!name.contains("_CBC_")) {
                out.add(code);
            }
        });
        return out;
    }

    /**
     * Why the pinned suite {@code name} is refused, or null when it may be pinned: anonymous (no
     * server authentication), NULL (no encryption), EXPORT, RC4 and single DES are broken.
     */
    public static String refusal(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        if (n.contains("_ANON_")) {
            return "it is anonymous: the server is not authenticated, so anyone can impersonate it";
        }
        if (n.contains("_NULL_") || n.endsWith("_NULL")) {
            return "it has no encryption (NULL): the data would cross the network in clear";
        }
        if (n.contains("EXPORT")) {
            return "it is an EXPORT suite with deliberately breakable keys";
        }
        if (n.contains("_RC4_")) {
            return "RC4 is broken (RFC 7465)";
        }
        if (n.contains("_DES_") || n.contains("_DES40_")) {
            return "single DES is broken";
        }
        if (n.endsWith("_SCSV")) {
            return "it is a signalling value, not a cipher suite";
        }
        return null;
    }

    /**
     * The IANA name of a suite: the JDK and Netty spell the suites SSL 3.0 defined with {@code SSL_}
     * ({@code SSL_RSA_WITH_3DES_EDE_CBC_SHA}), which IANA lists as {@code TLS_}; other names are kept.
     */
    public static String iana(String name) {
        return name.startsWith("SSL_") ? "TLS_" + name.substring(4) : name;
    }

    /** {@code wanted} (IANA or provider spelling) as {@code supported} spells it, or null when it lacks it. */
    public static String spelledAs(String wanted, Collection<String> supported) {
        if (supported.contains(wanted)) {
            return wanted;
        }
        String iana = iana(wanted);
        for (String s : supported) {
            if (iana(s).equals(iana)) {
                return s;
            }
        }
        return null;
    }

    /** True for a suite with static-RSA key exchange (no forward secrecy), which may be pinned with a warning. */
    public static boolean isStaticRsa(String name) {
        return name.startsWith("TLS_RSA_WITH_");
    }
}
