package dev.tlsupgrade;

import dev.tlsupgrade.internal.trust.ChannelBindings;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * What one successful upgrade negotiated, the same facts for every backend: backend, version,
 * cipher suite, the server's chain, ALPN, the SNI name sent, whether the session was resumed, and
 * how long the handshake took. The SNI name and resumption are read from the bytes on the wire,
 * not taken from the provider's word.
 *
 * <p>Get it with {@link #of(SSLSocket)} for any socket a {@link TlsUpgrader} returned.
 */
public final class TlsHandshakeInfo {
    private final String backend;
    private final String host;
    private final InetSocketAddress remoteAddress;
    private final TlsVersion version;
    private final String cipherSuite;
    private final List<X509Certificate> peerCertificates;
    private final String applicationProtocol;
    private final String sniHostName;
    private final boolean resumed;
    private final int clientHelloSize;
    private final byte[] ocspResponse;
    private final Duration handshakeTime;

    TlsHandshakeInfo(String backend, String host, InetSocketAddress remoteAddress, TlsVersion version,
            String cipherSuite, List<X509Certificate> peerCertificates, String applicationProtocol,
            String sniHostName, boolean resumed, int clientHelloSize, byte[] ocspResponse, Duration handshakeTime) {
        this.backend = Objects.requireNonNull(backend);
        this.host = Objects.requireNonNull(host);
        this.remoteAddress = remoteAddress;
        this.version = Objects.requireNonNull(version);
        this.cipherSuite = Objects.requireNonNull(cipherSuite);
        this.peerCertificates = List.copyOf(peerCertificates);
        this.applicationProtocol = applicationProtocol == null || applicationProtocol.isEmpty() ? null : applicationProtocol;
        this.sniHostName = sniHostName;
        this.resumed = resumed;
        this.clientHelloSize = clientHelloSize;
        this.ocspResponse = ocspResponse == null || ocspResponse.length == 0 ? null : ocspResponse.clone();
        this.handshakeTime = Objects.requireNonNull(handshakeTime);
    }

    /**
     * The handshake facts of {@code socket}, if a {@link TlsUpgrader} made it; empty for any other socket.
     */
    public static Optional<TlsHandshakeInfo> of(SSLSocket socket) {
        return socket instanceof UpgradedSocket s ? Optional.ofNullable(s.info()) : Optional.empty();
    }

    /**
     * The handshake facts of {@code engine}, if it came from {@link TlsUpgrader#sslContext()} and its
     * handshake finished; empty otherwise. The remote address is unknown to an engine.
     */
    public static Optional<TlsHandshakeInfo> of(javax.net.ssl.SSLEngine engine) {
        return engine instanceof UpgradedEngine e ? Optional.ofNullable(e.info()) : Optional.empty();
    }

    public String backend() {
        return backend;
    }

    /** The host the caller passed to {@link TlsUpgrader#upgrade}. */
    public String host() {
        return host;
    }

    /** The IP address and port the socket is connected to. */
    public Optional<InetSocketAddress> remoteAddress() {
        return Optional.ofNullable(remoteAddress);
    }

    public TlsVersion version() {
        return version;
    }

    /** The negotiated cipher suite by its IANA name. */
    public String cipherSuite() {
        return cipherSuite;
    }

    /** The server's certificate chain, leaf first. */
    public List<X509Certificate> peerCertificates() {
        return peerCertificates;
    }

    /** The ALPN protocol the server chose, if any. */
    public Optional<String> applicationProtocol() {
        return Optional.ofNullable(applicationProtocol);
    }

    /** The SNI host name the ClientHello carried; empty when none was sent (IP literals). */
    public Optional<String> sniHostName() {
        return Optional.ofNullable(sniHostName);
    }

    /** True when the server resumed an earlier session (an abbreviated handshake). */
    public boolean resumed() {
        return resumed;
    }

    /**
     * Size in bytes of the ClientHello record sent. Above about 1,400 bytes it no longer fits one
     * packet, which some old servers and middleboxes do not cope with.
     */
    public int clientHelloSize() {
        return clientHelloSize;
    }

    /**
     * The DER-encoded OCSP response the server stapled, when the backend asks for one
     * ({@link TlsFeature#OCSP_STAPLING}) and the server sent it; core judges it when
     * {@code revocation(...)} is set.
     */
    public Optional<byte[]> stapledOcspResponse() {
        return Optional.ofNullable(ocspResponse).map(byte[]::clone);
    }

    /**
     * The server certificate's SubjectPublicKey: the contents of its BIT STRING, which CredSSP (RDP's
     * network level authentication) signs in {@code pubKeyAuth}; empty without a certificate.
     */
    public Optional<byte[]> serverPublicKey() {
        return peerCertificates.isEmpty() ? Optional.empty()
                : Optional.of(ChannelBindings.subjectPublicKey(peerCertificates.get(0)));
    }

    /** The server certificate's whole SubjectPublicKeyInfo (DER), what key pins hash; empty without a certificate. */
    public Optional<byte[]> serverPublicKeyInfo() {
        return peerCertificates.isEmpty() ? Optional.empty() : Optional.of(peerCertificates.get(0).getPublicKey().getEncoded());
    }

    /**
     * The {@code tls-server-end-point} channel binding of RFC 5929 (used by SCRAM-SHA-256-PLUS): the
     * server certificate hashed with its signature's hash, SHA-256 for MD5, SHA-1 or no named hash.
     */
    public Optional<byte[]> tlsServerEndPoint() {
        return peerCertificates.isEmpty() ? Optional.empty()
                : Optional.of(ChannelBindings.tlsServerEndPoint(peerCertificates.get(0)));
    }

    /** Wall time of the handshake. */
    public Duration handshakeTime() {
        return handshakeTime;
    }

    @Override
    public String toString() {
        return backend + " " + version + " " + cipherSuite + " to " + host + " (" + TlsUpgradeException.describe(remoteAddress)
                + "), SNI " + (sniHostName == null ? "none" : sniHostName)
                + (applicationProtocol == null ? "" : ", ALPN " + applicationProtocol)
                + (resumed ? ", resumed" : ", full handshake") + ", " + handshakeTime.toMillis() + " ms";
    }
}
