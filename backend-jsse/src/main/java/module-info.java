/** The "jsse" backend: the JDK's SunJSSE. */
module dev.tlsupgrade.jsse {
    requires dev.tlsupgrade.core;
    requires org.slf4j;

    exports dev.tlsupgrade.jsse;

    provides dev.tlsupgrade.spi.TlsBackendProvider with dev.tlsupgrade.jsse.JsseBackendProvider;
}
