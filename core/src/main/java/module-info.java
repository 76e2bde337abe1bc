/**
 * tlsupgrade's core: the API ({@code dev.tlsupgrade}), the plaintext preambles and the probe, and
 * the SPI backends implement. It depends on no TLS provider; backends are found with
 * {@link java.util.ServiceLoader}. The shared internals are open to the backend modules only.
 */
module dev.tlsupgrade.core {
    requires java.naming; // LdapName parses a certificate's subject for its CN
    requires org.slf4j;

    exports dev.tlsupgrade;
    exports dev.tlsupgrade.preamble;
    exports dev.tlsupgrade.probe;
    exports dev.tlsupgrade.spi;
    exports dev.tlsupgrade.internal to dev.tlsupgrade.jsse, dev.tlsupgrade.conscrypt, dev.tlsupgrade.openssl,
            dev.tlsupgrade.bctls;
    exports dev.tlsupgrade.internal.trust to dev.tlsupgrade.jsse, dev.tlsupgrade.conscrypt, dev.tlsupgrade.openssl,
            dev.tlsupgrade.bctls;

    uses dev.tlsupgrade.spi.TlsBackendProvider;
}
