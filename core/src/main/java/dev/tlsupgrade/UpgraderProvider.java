package dev.tlsupgrade;

import java.security.Provider;
import java.util.List;

/**
 * The JCA provider of {@link TlsUpgrader#provider()}: one service, {@code SSLContext.TLS}, whose
 * instances are the upgrader's context. It is never installed; libraries that take a provider
 * object ask it directly.
 */
final class UpgraderProvider extends Provider {
    private static final long serialVersionUID = 1L;

    UpgraderProvider(TlsUpgrader upgrader) {
        super("tlsupgrade-" + upgrader.backend().name(), "1.0", "tlsupgrade's client SSLContext over the "
                + upgrader.backend().name() + " backend");
        putService(new Service(this, "SSLContext", "TLS", UpgraderSslContext.Spi.class.getName(), List.of(), null) {
            @Override
            public Object newInstance(Object constructorParameter) {
                return new UpgraderSslContext.Spi(upgrader);
            }
        });
    }
}
