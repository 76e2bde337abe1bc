package dev.tlsupgrade.probe;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt of a {@link TlsProbe}: a backend and a TLS version, and what came of it. An attempt
 * the backend cannot make (a version it does not support, or only after a JVM-wide opt-in) is
 * reported without a connection being made.
 *
 * @param backend the backend's name
 * @param version the version offered, JSSE name
 * @param ok whether the handshake succeeded
 * @param reached whether TLS was reached and only the certificate check failed (a self-signed or
 *     untrusted server): then {@code chain} is what it presented, for a pin
 * @param cipherSuite the negotiated suite, when ok
 * @param handshakeMillis the handshake time, when ok; -1 otherwise
 * @param failure what went wrong ({@code PROTOCOL_VERSION}, {@code connection refused}, ...), when not ok
 * @param hint what to try, when not ok
 * @param chain the server's certificate chain, when ok or reached
 * @param address the IP address the attempt connected to (or tried, when known), or null
 * @param concession what this attempt conceded beyond offering {@code version} alone, as the
 *     {@code TlsClientConfig.Builder} calls that reproduce it (for example
 *     {@code .cipherSuites("TLS_RSA_WITH_AES_128_GCM_SHA256")}, or a version range with
 *     {@code .protocols(...)}); null for a plain attempt
 * @param config the config the attempt used (the probe's trust settings included), to build an
 *     upgrader from directly; null for an attempt that was not made
 */
public record ProbeResult(String backend, String version, boolean ok, boolean reached, String cipherSuite, long handshakeMillis,
        String failure, String hint, List<X509Certificate> chain, String address, String concession,
        dev.tlsupgrade.TlsClientConfig config) {
    public ProbeResult {
        Objects.requireNonNull(backend);
        Objects.requireNonNull(version);
        chain = chain == null ? List.of() : List.copyOf(chain);
    }

    /** A plain attempt: {@code version} offered alone, nothing conceded. */
    public ProbeResult(String backend, String version, boolean ok, boolean reached, String cipherSuite, long handshakeMillis,
            String failure, String hint, List<X509Certificate> chain, String address) {
        this(backend, version, ok, reached, cipherSuite, handshakeMillis, failure, hint, chain, address, null, null);
    }

    /** The config the attempt used, when it was made. */
    public Optional<dev.tlsupgrade.TlsClientConfig> usedConfig() {
        return Optional.ofNullable(config);
    }

    /** Whether this attempt conceded something beyond a single version. */
    public boolean conceded() {
        return concession != null;
    }

    public Optional<String> cipher() {
        return Optional.ofNullable(cipherSuite);
    }
}
