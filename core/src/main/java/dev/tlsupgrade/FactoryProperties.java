package dev.tlsupgrade;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code tlsupgrade.*} settings of a {@link TlsSocketFactory}: each looked up in the given
 * {@link Properties} (pgjdbc passes its connection properties), then in the system properties, then
 * in {@code tlsupgrade.properties} on the class path. A value that does not parse, or an unknown
 * {@code tlsupgrade.} name, is refused with a message naming the property.
 */
final class FactoryProperties {
    static final String PREFIX = "tlsupgrade.";
    static final String BACKEND = "tlsupgrade.backend";
    static final String PROTOCOLS = "tlsupgrade.protocols";
    static final String ALLOW_LEGACY = "tlsupgrade.allowLegacyProtocols";
    static final String TRUSTED = "tlsupgrade.trustedCertificates";
    static final String CLIENT_CERTIFICATE = "tlsupgrade.clientCertificate";
    static final String CLIENT_KEY = "tlsupgrade.clientKey";
    static final String SERVER_NAME = "tlsupgrade.serverName";
    static final String TIMEOUT = "tlsupgrade.handshakeTimeout";
    static final String CIPHER_SUITES = "tlsupgrade.cipherSuites";
    static final String ALPN = "tlsupgrade.alpn";
    static final String PINS = "tlsupgrade.pinnedCertificates";
    static final String KNOWN_HOSTS = "tlsupgrade.knownHosts";
    static final String TRUST_STORE = "tlsupgrade.trustStore";
    static final String TRUST_STORE_PASSWORD = "tlsupgrade.trustStorePassword";
    static final String HOST_PINS = "tlsupgrade.hostPins";
    static final String RELOAD_INTERVAL = "tlsupgrade.reloadInterval";
    static final String REVOCATION = "tlsupgrade.revocation";
    static final String FALLBACK_BACKENDS = "tlsupgrade.fallback.backends";
    static final String FALLBACK_LEGACY = "tlsupgrade.fallback.allowLegacy";
    static final Set<String> KNOWN = Set.of(BACKEND, PROTOCOLS, ALLOW_LEGACY, TRUSTED, CLIENT_CERTIFICATE, CLIENT_KEY,
            SERVER_NAME, TIMEOUT, CIPHER_SUITES, ALPN, PINS, KNOWN_HOSTS, FALLBACK_BACKENDS, FALLBACK_LEGACY, TRUST_STORE,
            TRUST_STORE_PASSWORD, HOST_PINS, RELOAD_INTERVAL, REVOCATION);
    static final String CLASS_PATH_FILE = "tlsupgrade.properties";

    private FactoryProperties() {
    }

    /** The resolved settings, by name, from the three sources in order; only names that are set. */
    static Map<String, String> resolve(Properties given) {
        List<Properties> sources = new ArrayList<>();
        if (given != null) {
            sources.add(given);
        }
        sources.add(System.getProperties());
        sources.add(classPathFile());
        Map<String, String> out = new TreeMap<>();
        for (Properties source : sources) {
            for (String name : source.stringPropertyNames()) {
                if (!name.startsWith(PREFIX)) {
                    continue;
                }
                if (!KNOWN.contains(name)) {
                    throw new IllegalArgumentException("unknown property " + name + " (a typo?); tlsupgrade knows "
                            + String.join(", ", new TreeSet<>(KNOWN)));
                }
                out.putIfAbsent(name, source.getProperty(name).trim());
            }
        }
        return out;
    }

    private static Properties classPathFile() {
        Properties p = new Properties();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = FactoryProperties.class.getClassLoader();
        }
        try (InputStream in = loader.getResourceAsStream(CLASS_PATH_FILE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read " + CLASS_PATH_FILE + " from the class path: " + e.getMessage(), e);
        }
        return p;
    }

    /** The backend the settings name, or the default one. */
    static TlsBackend backend(Map<String, String> settings) {
        String name = settings.get(BACKEND);
        if (name == null || name.isEmpty()) {
            return TlsBackends.defaultBackend();
        }
        try {
            return TlsBackends.get(name);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException(BACKEND + ": " + e.getMessage(), e);
        }
    }

    /** The config the settings describe. */
    static TlsClientConfig config(Map<String, String> s) {
        TlsClientConfig.Builder b = TlsClientConfig.builder();
        apply(s, PROTOCOLS, v -> b.protocols(versions(v)));
        apply(s, ALLOW_LEGACY, v -> {
            if (bool(v)) {
                b.allowLegacyProtocols();
            }
        });
        apply(s, TRUSTED, v -> b.trustedCertificates(existing(v)));
        if (s.containsKey(TRUST_STORE_PASSWORD) && !s.containsKey(TRUST_STORE)) {
            throw new IllegalArgumentException(TRUST_STORE_PASSWORD + " needs " + TRUST_STORE);
        }
        apply(s, TRUST_STORE, v -> b.trustStore(existing(v), s.getOrDefault(TRUST_STORE_PASSWORD, "").toCharArray()));
        apply(s, HOST_PINS, v -> hostPins(b, v));
        apply(s, RELOAD_INTERVAL, v -> b.reloadInterval(duration(v)));
        apply(s, REVOCATION, v -> b.revocation(revocationMode(v)));
        if (s.containsKey(CLIENT_CERTIFICATE) != s.containsKey(CLIENT_KEY)) {
            throw new IllegalArgumentException(CLIENT_CERTIFICATE + " and " + CLIENT_KEY + " go together: set both "
                    + "(the certificate chain PEM and the private key PEM) or neither");
        }
        apply(s, CLIENT_KEY, v -> b.clientCertificate(existing(s.get(CLIENT_CERTIFICATE)), existing(v)));
        apply(s, SERVER_NAME, b::serverName);
        apply(s, TIMEOUT, v -> b.handshakeTimeout(duration(v)));
        apply(s, CIPHER_SUITES, v -> b.cipherSuites(list(v)));
        apply(s, ALPN, v -> b.alpn(list(v)));
        apply(s, PINS, v -> b.pinnedCertificates(list(v)));
        apply(s, KNOWN_HOSTS, v -> b.knownHosts(Path.of(v)));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the tlsupgrade.* properties " + s.keySet() + " do not make a config: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The fallback connector the settings ask for ({@code tlsupgrade.fallback.backends}, with
     * {@code tlsupgrade.fallback.allowLegacy}), for the sockets the factory dials itself; null when
     * none is asked for.
     */
    static FallbackConnector fallback(Map<String, String> s) {
        if (!s.containsKey(FALLBACK_BACKENDS)) {
            if (s.containsKey(FALLBACK_LEGACY)) {
                throw new IllegalArgumentException(FALLBACK_LEGACY + " needs " + FALLBACK_BACKENDS
                        + " (the backends to fall back through, e.g. jsse,openssl)");
            }
            return null;
        }
        FallbackConnector.Builder b;
        try {
            b = FallbackConnector.builder(config(s)).backends(list(s.get(FALLBACK_BACKENDS)));
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(FALLBACK_BACKENDS + ": " + e.getMessage(), e);
        }
        if (s.containsKey(FALLBACK_LEGACY) && bool(s.get(FALLBACK_LEGACY))) {
            b.allowLegacyFallback();
        }
        return b.build();
    }

    private interface Setter {
        void set(String value);
    }

    private static void apply(Map<String, String> settings, String name, Setter setter) {
        String value = settings.get(name);
        if (value == null) {
            return;
        }
        try {
            setter.set(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " = '" + value + "': " + e.getMessage(), e);
        }
    }

    private static RevocationMode revocationMode(String v) {
        try {
            return RevocationMode.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not one of " + java.util.Arrays.toString(RevocationMode.values()), e);
        }
    }

    /** {@code *.example.com=sha256/A|sha256/B;db.example.com=sha256/C}: a pattern, then its pins. */
    private static void hostPins(TlsClientConfig.Builder b, String value) {
        for (String entry : value.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + entry.trim() + "' is not PATTERN=PIN|PIN (e.g. "
                        + "*.example.com=sha256/BASE64)");
            }
            b.pin(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim().split("\\s*\\|\\s*"));
        }
    }

    private static TlsVersion[] versions(String value) {
        List<TlsVersion> out = new ArrayList<>();
        for (String name : list(value)) {
            out.add(TlsVersion.fromJsseName(name).orElseThrow(() -> new IllegalArgumentException("'" + name
                    + "' is not a TLS version; use TLSv1, TLSv1.1, TLSv1.2, TLSv1.3")));
        }
        return out.toArray(new TlsVersion[0]);
    }

    private static String[] list(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the list is empty");
        }
        return out.toArray(new String[0]);
    }

    private static boolean bool(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new IllegalArgumentException("not true or false");
        }
    }

    private static Path existing(String value) {
        Path p = Path.of(value);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no such file: " + p.toAbsolutePath());
        }
        return p;
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m}, a plain number of seconds, or ISO-8601 ({@code PT30S}). */
    static Duration duration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt")) {
                return Duration.parse(value.trim());
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            }
            return Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration; use e.g. 30s, 500ms, 2m or PT30S");
        }
    }
}
