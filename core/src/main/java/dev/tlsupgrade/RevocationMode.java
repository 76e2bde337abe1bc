package dev.tlsupgrade;

/**
 * Whether and how the server certificate's revocation is checked, set with
 * {@link TlsClientConfig.Builder#revocation}. Core checks the end-entity certificate after the
 * chain validated, with the JDK's PKIX validator judging each answer (its signature, responder,
 * freshness and status); a revoked certificate fails with {@link FailureKind#CERTIFICATE_REVOKED}.
 * In every mode but {@link #OFF}, a certificate that demands stapling (the TLS feature extension,
 * "must-staple") needs a good stapled response. A resumed session is not checked again.
 */
public enum RevocationMode {
    /** No revocation check (the default, as in the JDK and most clients). */
    OFF,
    /** A stapled OCSP response, when the server sends one, must say "good"; none is accepted. */
    STAPLED_IF_PRESENT,
    /**
     * The server must staple a good OCSP response; only backends with
     * {@link TlsFeature#OCSP_STAPLING} can ask for one, others refuse the config.
     */
    STAPLED_REQUIRED,
    /**
     * A stapled response if there is one, else an OCSP responder named by the certificate (AIA),
     * else its CRL distribution point, fetched within the handshake timeout and cached for the
     * answer's validity. A status that cannot be fetched (responder unreachable, no URL) is accepted
     * with a warning; a revoked, unknown, stale or badly signed answer is refused. Blocking I/O: for
     * sockets only, not for engines.
     */
    SOFT_FAIL,
    /** As {@link #SOFT_FAIL}, but a status that cannot be fetched refuses the server. */
    HARD_FAIL
}
