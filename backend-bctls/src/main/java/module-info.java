/** The "bctls" backend: Bouncy Castle's pure-Java TLS, every version per connection. */
module dev.tlsupgrade.bctls {
    requires dev.tlsupgrade.core;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.tls;

    provides dev.tlsupgrade.spi.TlsBackendProvider with dev.tlsupgrade.bctls.BcBackendProvider;
}
