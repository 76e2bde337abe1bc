package dev.tlsupgrade;

/**
 * Why a handshake failed, decided the same way for every backend from what the peer sent and what
 * the provider reported. {@link TlsUpgradeException#hint()} says what to try for each.
 */
public enum FailureKind {
    /** The server and the client have no TLS version in common. */
    PROTOCOL_VERSION,
    /** The server and the client have no cipher suite (or key exchange group) in common. */
    NO_SHARED_CIPHER,
    /** The certificate chain does not lead to a trusted CA (unknown CA, self-signed, incomplete chain). */
    CERTIFICATE_UNTRUSTED,
    /** A certificate in the chain has expired. */
    CERTIFICATE_EXPIRED,
    /** A certificate in the chain is not valid yet (check the clocks). */
    CERTIFICATE_NOT_YET_VALID,
    /** The certificate is valid but names other hosts than the one expected. */
    HOSTNAME_MISMATCH,
    /**
     * The server's key differs from the one {@code knownHosts(...)} recorded for it on first use: a
     * new key, or someone impersonating the server. The message shows both fingerprints.
     */
    CERTIFICATE_CHANGED,
    /**
     * The server's certificate is revoked, says its OCSP responder or CRL (stapled or fetched, with
     * {@code revocation(...)}), or its revocation status could not be established where the mode
     * demands it; the message says which.
     */
    CERTIFICATE_REVOKED,
    /**
     * The chain validated, but none of its certificates has a key pinned for this host with
     * {@code pin(hostPattern, ...)}: a new key the pins do not know yet, or a CA that issued a
     * certificate it should not have. The message lists every certificate's pin.
     */
    PIN_MISMATCH,
    /** The server asked for a client certificate and none was configured, or it refused the one sent. */
    CLIENT_CERTIFICATE_REQUIRED,
    /** The server closed the connection during the handshake without an alert. */
    PEER_CLOSED,
    /** The connection was reset (TCP RST) during the handshake. */
    PEER_RESET,
    /** The peer answered with something that is not TLS (a plaintext banner, HTTP, ...). */
    NOT_TLS,
    /** The handshake did not finish within the configured timeout. */
    TIMEOUT,
    /**
     * The server did something core's policy refuses unless the config admits it by name: it signed its
     * key exchange with SHA-1 although no legacy version was offered, chose a Diffie-Hellman group under
     * 2048 bits, or does not support secure renegotiation (RFC 5746).
     */
    POLICY_REFUSED,
    /**
     * The handshake's data was altered on its way: a record failed its integrity check (bad record
     * MAC, decryption failure), the Finished or a signature did not verify, a record or message was
     * malformed after the hello, or a certificate's signature no longer verifies with its issuer's
     * key. A middlebox, a faulty link or an attack, not a configuration problem.
     */
    ALTERED_IN_TRANSIT,
    /** A TLS alert ended the handshake; the message names it and says who sent it. */
    ALERT,
    /** Anything else; the message quotes what the provider said. */
    OTHER
}
