package dev.tlsupgrade.conscrypt;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "conscrypt" backend's one public switch: the process-wide opt-in to TLS 1.0/1.1.
 *
 * <p>Conscrypt 2.9 filters TLS 1.0 and 1.1 out of every protocol list, silently. The only way back
 * is a provider built with {@code isTlsV1Deprecated(false).isTlsV1Enabled(true)}, which rewrites
 * static state of Conscrypt's native layer: from then on every Conscrypt provider in the process,
 * ours and anybody else's, accepts TLS 1.0/1.1. The backend therefore reports these versions as
 * {@code NEEDS_GLOBAL_OPT_IN} until {@link #enableLegacyProtocolsGlobally()} is called (or something
 * else in the process made the same switch before the backend loaded), and {@code SUPPORTED} after.
 */
public final class ConscryptBackend {
    static final String OPT_IN_CALL = "ConscryptBackend.enableLegacyProtocolsGlobally()";

    private static final Logger LOG = LoggerFactory.getLogger(ConscryptBackend.class);

    /** Set once the opt-in ran in this process (it cannot be undone). */
    private static volatile boolean optedIn;

    private ConscryptBackend() {
    }

    /**
     * <b>Changes the whole process:</b> re-enables TLS 1.0 and 1.1 in Conscrypt's native layer, for
     * every Conscrypt provider in this JVM. Logs a warning. It works at any time, but cannot be undone.
     *
     * @throws IllegalStateException when Conscrypt is not available here
     */
    public static synchronized void enableLegacyProtocolsGlobally() {
        Conscrypt.checkAvailability();
        Provider p = Conscrypt.newProviderBuilder().isTlsV1Deprecated(false).isTlsV1Enabled(true).build();
        if (!legacyEnabled(p)) {
            throw new IllegalStateException("Conscrypt " + Conscrypt.version().major() + "." + Conscrypt.version().minor()
                    + " did not re-enable TLS 1.0/1.1");
        }
        optedIn = true;
        LOG.warn("{}: re-enabled TLSv1 and TLSv1.1 in Conscrypt for the WHOLE process; every Conscrypt provider "
                + "in this JVM now accepts them", OPT_IN_CALL);
    }

    static boolean optedIn() {
        return optedIn;
    }

    /**
     * Asks Conscrypt whether TLS 1.0/1.1 are on, from an engine closed at once (so its native
     * memory is freed now) rather than the context's supported parameters, whose socket keeps two
     * pipe descriptors until a GC. The backend asks once, at load.
     */
    static boolean legacyEnabled(Provider provider) {
        return Arrays.asList(ask(provider, javax.net.ssl.SSLEngine::getSupportedProtocols))
                .containsAll(Arrays.asList("TLSv1", "TLSv1.1"));
    }

    /** One question to a throwaway Conscrypt engine, closed before returning. */
    static String[] ask(Provider provider, java.util.function.Function<javax.net.ssl.SSLEngine, String[]> question) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS", provider);
            ctx.init(null, null, null);
            return dev.tlsupgrade.internal.SslContextConnector.askEngine(ctx, question);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot ask Conscrypt what it supports: " + e, e);
        }
    }
}
