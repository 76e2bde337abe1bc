/**
 * The "openssl" backend: BoringSSL through Netty's tcnative. On the module path the platform's
 * native jar (for example {@code io.netty.internal.tcnative.openssl.linux.x86_64}) is a module that
 * nothing requires by name: add it with {@code --add-modules}.
 */
module dev.tlsupgrade.openssl {
    requires dev.tlsupgrade.core;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.tcnative.classes.openssl;

    provides dev.tlsupgrade.spi.TlsBackendProvider with dev.tlsupgrade.openssl.OpenSslBackendProvider;
}
