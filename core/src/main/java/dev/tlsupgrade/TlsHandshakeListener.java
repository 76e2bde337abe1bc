package dev.tlsupgrade;

import java.net.InetSocketAddress;

/**
 * Told about every upgrade of a config ({@link TlsClientConfig.Builder#listener}): when it starts,
 * and how it ended, with the same facts as the log, so an application can count handshakes, time
 * them and break failures down by {@link FailureKind}. Called on the upgrading thread; a listener
 * that throws is logged and otherwise ignored. Every method does nothing unless overridden.
 */
public interface TlsHandshakeListener {
    /** An upgrade of {@code host}, connected at {@code address} (null if unknown), starts on {@code backend}. */
    default void started(String backend, String host, InetSocketAddress address) {
    }

    /** An upgrade succeeded. */
    default void succeeded(TlsHandshakeInfo info) {
    }

    /** An upgrade failed; the same exception is thrown to the caller. */
    default void failed(TlsUpgradeException failure) {
    }
}
