/** The "conscrypt" backend: BoringSSL through Conscrypt (its native library ships inside its jar). */
module dev.tlsupgrade.conscrypt {
    requires dev.tlsupgrade.core;
    requires org.conscrypt;
    requires org.slf4j;

    exports dev.tlsupgrade.conscrypt;

    provides dev.tlsupgrade.spi.TlsBackendProvider with dev.tlsupgrade.conscrypt.ConscryptBackendProvider;
}
