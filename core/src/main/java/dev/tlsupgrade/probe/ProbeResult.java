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
 */
public record ProbeResult(String backend, String version, boolean ok, boolean reached, String cipherSuite, long handshakeMillis,
        String failure, String hint, List<X509Certificate> chain, String address) {
    public ProbeResult {
        Objects.requireNonNull(backend);
        Objects.requireNonNull(version);
        chain = chain == null ? List.of() : List.copyOf(chain);
    }

    public Optional<String> cipher() {
        return Optional.ofNullable(cipherSuite);
    }
}
