/**
 * tlsupgrade's core: the API ({@code dev.tlsupgrade}), the plaintext preambles and the probe, and
 * the SPI backends implement. It depends on no TLS provider; backends are found with
 * {@link java.util.ServiceLoader}. The shared internals are open to the backend modules only, split by
 * concern: {@code internal.socket} (the socket layers: over a provider's socket, an engine or a stream
 * protocol, and the observing socket under them), {@code internal.wire} (the bytes that crossed and
 * what they say), {@code internal.trust} (the trust decision), {@code internal.material} (PEM, keys,
 * the key log), {@code internal.policy} (names, suites, groups), and {@code internal} itself for what
 * both facades share (a provider configured from the config, the fixed sessions, text escaping).
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
    exports dev.tlsupgrade.internal.material to dev.tlsupgrade.jsse, dev.tlsupgrade.conscrypt, dev.tlsupgrade.openssl,
            dev.tlsupgrade.bctls;
    exports dev.tlsupgrade.internal.policy to dev.tlsupgrade.jsse, dev.tlsupgrade.conscrypt, dev.tlsupgrade.openssl,
            dev.tlsupgrade.bctls;
    exports dev.tlsupgrade.internal.socket to dev.tlsupgrade.jsse, dev.tlsupgrade.conscrypt, dev.tlsupgrade.openssl,
            dev.tlsupgrade.bctls;
    exports dev.tlsupgrade.internal.wire to dev.tlsupgrade.jsse, dev.tlsupgrade.conscrypt, dev.tlsupgrade.openssl,
            dev.tlsupgrade.bctls;

    uses dev.tlsupgrade.spi.TlsBackendProvider;
}
