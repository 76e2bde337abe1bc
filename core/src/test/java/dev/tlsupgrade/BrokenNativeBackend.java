package dev.tlsupgrade;

import dev.tlsupgrade.spi.BackendConnector;
import dev.tlsupgrade.spi.ConnectorSettings;
import dev.tlsupgrade.spi.TlsBackendProvider;

/** A backend whose native library "fails to load", registered only in core's tests. */
public final class BrokenNativeBackend implements TlsBackendProvider {
    @Override
    public String name() {
        return "broken";
    }

    @Override
    public int preference() {
        return 1;
    }

    @Override
    public void load() {
        throw new UnsatisfiedLinkError("no libbroken-linux-x86_64.so in java.library.path");
    }

    @Override
    public Capabilities capabilities() {
        throw new AssertionError("capabilities() must not be asked of an unavailable backend");
    }

    @Override
    public java.util.Set<String> supportedCipherSuites() {
        throw new AssertionError("supportedCipherSuites() must not be asked of an unavailable backend");
    }

    @Override
    public BackendConnector newConnector(ConnectorSettings settings) {
        throw new AssertionError("newConnector() must not be called on an unavailable backend");
    }
}
