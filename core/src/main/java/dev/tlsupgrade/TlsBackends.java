package dev.tlsupgrade;

import dev.tlsupgrade.spi.TlsBackendProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the backends on the class path ({@link ServiceLoader}, once) and picks one.
 *
 * <pre>{@code
 * TlsUpgrader upgrader = TlsBackends.get("openssl").newUpgrader(TlsClientConfig.defaults());
 * }</pre>
 *
 * <p>There is never a silent fallback: asking for a backend that is missing or cannot load throws,
 * listing what is there and why the one asked for is not.
 */
public final class TlsBackends {
    /** System property naming the backend {@link #defaultBackend()} returns. */
    public static final String BACKEND_PROPERTY = "tlsupgrade.backend";

    private TlsBackends() {
    }

    private static final class Loaded {
        static final List<TlsBackend> ALL;
        static final List<String> BROKEN = new ArrayList<>();

        static {
            List<TlsBackend> found = new ArrayList<>();
            Iterator<TlsBackendProvider> it = ServiceLoader.load(TlsBackendProvider.class,
                    TlsBackends.class.getClassLoader()).iterator();
            while (true) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    TlsBackendProvider p = it.next();
                    if (found.stream().anyMatch(b -> b.name().equals(p.name()))) {
                        BROKEN.add("a second backend named " + p.name() + " (" + p.getClass().getName() + ") was ignored");
                        continue;
                    }
                    found.add(new TlsBackend(p));
                } catch (ServiceConfigurationError e) {
                    BROKEN.add(String.valueOf(e.getMessage()));
                }
            }
            found.sort(Comparator.comparingInt(TlsBackend::preference).thenComparing(TlsBackend::name));
            ALL = List.copyOf(found);
        }
    }

    /**
     * <b>Changes the whole JVM:</b> makes the opt-in call the backend's {@link Capabilities#globalOptIn()}
     * names (for jsse, {@code JsseBackend.enableLegacyProtocolsGlobally()}), for code that holds only the
     * backend's name, such as the probe trying it in a JVM of its own. It must come first: before any
     * other use of this class, which loads every backend (loading jsse is the JVM's first TLS use, after
     * which SunJSSE no longer reads the change). Everything the named call says applies.
     *
     * @throws IllegalArgumentException when no backend of that name is on the class path
     * @throws UnsupportedOperationException when the backend has no JVM-wide opt-in
     * @throws IllegalStateException when the opt-in failed or came too late
     */
    public static void enableJvmWideOptIn(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (TlsBackendProvider p : ServiceLoader.load(TlsBackendProvider.class, TlsBackends.class.getClassLoader())) {
            if (p.name().equals(wanted)) {
                p.enableJvmWideOptIn();
                return;
            }
        }
        throw new IllegalArgumentException("no backend named '" + name + "' on the class path");
    }

    /** Every backend found, available or not, in the default order. */
    public static List<TlsBackend> all() {
        return Loaded.ALL;
    }

    /** The backends that can be used here, in the default order. */
    public static List<TlsBackend> available() {
        return Loaded.ALL.stream().filter(TlsBackend::isAvailable).collect(Collectors.toUnmodifiableList());
    }

    /**
     * The backend called {@code name}.
     *
     * @throws IllegalArgumentException when no such backend is on the class path
     * @throws IllegalStateException when it is there but cannot load (the cause is the load error)
     */
    public static TlsBackend get(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (TlsBackend b : Loaded.ALL) {
            if (b.name().equals(wanted)) {
                if (!b.isAvailable()) {
                    Throwable cause = b.unavailabilityCause().orElseThrow();
                    throw new IllegalStateException("backend '" + wanted + "' is present but cannot load here: "
                            + cause.getMessage() + ". " + inventory(), cause);
                }
                return b;
            }
        }
        throw new IllegalArgumentException("no backend named '" + name + "'. " + inventory()
                + " Add the module tlsupgrade-backend-" + (wanted.isEmpty() ? "<name>" : wanted) + " to the class path.");
    }

    /**
     * The backend named by the system property {@value #BACKEND_PROPERTY} if set, otherwise the
     * first available one in the default order: jsse, openssl, conscrypt, bctls (the JDK's own
     * provider first, then the fastest).
     */
    public static TlsBackend defaultBackend() {
        String chosen = System.getProperty(BACKEND_PROPERTY);
        if (chosen != null && !chosen.isBlank()) {
            return get(chosen);
        }
        return available().stream().findFirst().orElseThrow(() -> new IllegalStateException(
                "no TLS backend is available. " + inventory()
                        + " Add a module such as tlsupgrade-backend-jsse to the class path."));
    }

    static String availableNames() {
        return available().stream().map(TlsBackend::name).collect(Collectors.joining(", ", "[", "]"));
    }

    /** One sentence listing every backend found and why each unavailable one is. */
    static String inventory() {
        StringBuilder sb = new StringBuilder("Backends found: ");
        if (Loaded.ALL.isEmpty()) {
            sb.append("none");
        }
        sb.append(Loaded.ALL.stream().map(TlsBackend::toString).collect(Collectors.joining(", ")));
        sb.append('.');
        for (String broken : Loaded.BROKEN) {
            sb.append(" Could not load a backend: ").append(broken).append('.');
        }
        return sb.toString();
    }
}
