package dev.tlsupgrade.spi;

import java.util.Objects;
import javax.net.ssl.SSLEngine;

/**
 * A provider's client engine, configured for one connection and not yet begun, with the hook that
 * frees what it holds. Core wraps it in the engine users get and runs {@link #release()} exactly
 * once: when both sides are closed, when the handshake fails, or when a client abandons the engine.
 *
 * @param engine the provider's engine in client mode
 * @param release frees the engine's native memory; must not refer to core's engine (a cleaner runs it)
 */
public record BackendEngine(SSLEngine engine, Runnable release) {
    public BackendEngine {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(release, "release");
    }
}
