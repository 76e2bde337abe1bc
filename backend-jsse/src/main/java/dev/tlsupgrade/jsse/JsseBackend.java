package dev.tlsupgrade.jsse;

import dev.tlsupgrade.TlsVersion;
import java.security.Security;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "jsse" backend's one public switch: the JVM-wide opt-in to TLS 1.0/1.1.
 *
 * <p>Use the backend itself through {@code TlsBackends.get("jsse")}. It reports TLS 1.0 and 1.1 as
 * {@code NEEDS_GLOBAL_OPT_IN}: the JDK disables them in {@code jdk.tls.disabledAlgorithms} and reads
 * that property once per JVM. If you need an old server through JSSE anyway, call
 * {@link #enableLegacyProtocolsGlobally()} first thing in {@code main}. The bctls and openssl backends
 * speak TLS 1.0/1.1 per connection without any JVM-wide change, and are usually the better answer.
 */
public final class JsseBackend {
    static final String OPT_IN_CALL = "JsseBackend.enableLegacyProtocolsGlobally()";

    private static final Logger LOG = LoggerFactory.getLogger(JsseBackend.class);

    private JsseBackend() {
    }

    /**
     * <b>Changes the whole JVM:</b> removes TLSv1 and TLSv1.1 from the security property
     * {@code jdk.tls.disabledAlgorithms}, so that SunJSSE can negotiate them. Every other JSSE client
     * in this JVM (HTTP clients, JDBC drivers) may then also fall back to TLS 1.0 with servers that
     * offer nothing better. Logs a warning.
     *
     * <p>It works only before the JVM's first TLS use, because SunJSSE reads the property once. When
     * called too late it restores the property and throws; start the JVM with
     * {@code -Djava.security.properties=FILE} instead, or use a backend that needs no global change.
     *
     * @throws IllegalStateException when SunJSSE already read the property and cannot be changed
     */
    public static synchronized void enableLegacyProtocolsGlobally() {
        if (LegacyProtocols.enabledInThisJvm(TlsVersion.TLS_1_0) && LegacyProtocols.enabledInThisJvm(TlsVersion.TLS_1_1)) {
            return;
        }
        String before = Security.getProperty(LegacyProtocols.PROPERTY);
        Security.setProperty(LegacyProtocols.PROPERTY, LegacyProtocols.withoutLegacy(before));
        if (!LegacyProtocols.enabledInThisJvm(TlsVersion.TLS_1_0) || !LegacyProtocols.enabledInThisJvm(TlsVersion.TLS_1_1)) {
            Security.setProperty(LegacyProtocols.PROPERTY, before);
            throw new IllegalStateException(OPT_IN_CALL + " was called too late: SunJSSE has already read "
                    + LegacyProtocols.PROPERTY + " in this JVM, so TLS 1.0/1.1 stay disabled (the property was restored). "
                    + "Call it first thing in main, before any TLS use; or start the JVM with "
                    + "-Djava.security.properties=FILE where FILE sets " + LegacyProtocols.PROPERTY
                    + " without TLSv1 and TLSv1.1; or use a backend that speaks TLS 1.0/1.1 per connection.");
        }
        LOG.warn("{}: removed TLSv1 and TLSv1.1 from {} for the WHOLE JVM; every JSSE client in this JVM may now "
                + "negotiate them", OPT_IN_CALL, LegacyProtocols.PROPERTY);
    }
}
