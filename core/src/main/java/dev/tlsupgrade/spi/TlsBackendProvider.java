package dev.tlsupgrade.spi;

import dev.tlsupgrade.Capabilities;

/**
 * What a backend module implements and registers in
 * {@code META-INF/services/dev.tlsupgrade.spi.TlsBackendProvider}. Users never call it: they get a
 * {@link dev.tlsupgrade.TlsBackend} from {@link dev.tlsupgrade.TlsBackends}, and core does input
 * checks, SNI and host name rules, timeouts, logging and failure explanation around it.
 *
 * <p>The class must load and instantiate without touching its provider library (a native library
 * may be missing); the library is first touched in {@link #load()}.
 */
public interface TlsBackendProvider {
    /** The backend's name, lower case, e.g. {@code "jsse"}. */
    String name();

    /**
     * Position in the default order ({@link dev.tlsupgrade.TlsBackends#defaultBackend()}); lower
     * comes first.
     */
    int preference();

    /**
     * Loads the provider library. Throws (any {@link Throwable}, e.g. {@link UnsatisfiedLinkError})
     * when the backend cannot work on this machine; core keeps that as the unavailability cause.
     * Called once.
     */
    void load() throws Exception;

    /** What this backend can do now, as its tests prove. Called only after {@link #load()} succeeded. */
    Capabilities capabilities();

    /**
     * Every cipher suite (IANA name) the provider can offer, for core's suite policy to choose from;
     * called only after {@link #load()} succeeded, and cheap (compute it once).
     */
    java.util.Set<String> supportedCipherSuites();

    /**
     * Makes the JVM-wide change {@link Capabilities#globalOptIn()} names (the backend's public opt-in
     * call), for callers that hold only the backend's name, such as a probe trying it in a JVM of its
     * own. Backends without one keep this default, which refuses.
     *
     * @throws UnsupportedOperationException when the backend has no JVM-wide opt-in
     */
    default void enableJvmWideOptIn() {
        throw new UnsupportedOperationException(name() + " has no JVM-wide opt-in");
    }

    /**
     * A connector for one configuration. Throws {@link IllegalArgumentException} for a setting the
     * backend cannot honour (an unknown cipher suite, say), naming it. Core has already checked the
     * configured versions against {@link #capabilities()}.
     */
    BackendConnector newConnector(ConnectorSettings settings);
}
