package dev.tlsupgrade.bctls;

import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.internal.FixedSession;
import dev.tlsupgrade.internal.socket.StreamSslSocket;
import dev.tlsupgrade.spi.BackendConnector;
import dev.tlsupgrade.spi.BackendEngine;
import dev.tlsupgrade.spi.ConnectorSettings;
import dev.tlsupgrade.spi.EngineRequest;
import dev.tlsupgrade.spi.HandshakeRequest;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * TLS 1.0-1.3 per connection through Bouncy Castle's low-level protocol over the observed socket's
 * streams. It never reads {@code jdk.tls.disabledAlgorithms}, so legacy servers need no JVM-wide
 * change; the result is core's {@link StreamSslSocket} with a fixed session.
 */
final class BcProtocolConnector implements BackendConnector {
    private final JcaTlsCrypto crypto;
    private final ConnectorSettings settings;
    private final int[] suites;
    private final List<String> suiteNames;
    /** What every connection of this connector offers, worked out once rather than per handshake (profiled). */
    private final UpgradeClient.Offer offer = new UpgradeClient.Offer();

    BcProtocolConnector(PerAlgorithmCrypto cryptoProvider, ConnectorSettings settings) {
        this.crypto = cryptoProvider.create(new SecureRandom());
        this.settings = settings;
        // Core always names the suites: the user's pins, or its policy's defaults.
        this.suiteNames = settings.config().cipherSuites();
        this.suites = org.bouncycastle.tls.TlsUtils.getSupportedCipherSuites(crypto, CipherSuites.numbers(suiteNames));
    }

    @Override
    public List<String> enabledCipherSuites() {
        return suiteNames;
    }

    @Override
    public SSLSocket handshake(HandshakeRequest request) throws IOException {
        TlsClientProtocol protocol = new TlsClientProtocol(request.socket().getInputStream(),
                request.socket().getOutputStream());
        UpgradeClient client = new UpgradeClient(crypto, settings, request.target(), suites, offer);
        try {
            protocol.connect(client);
        } catch (IOException | RuntimeException e) {
            try {
                protocol.close();
            } catch (IOException | RuntimeException ignored) {
                // the handshake failure is what the caller needs
            }
            throw e;
        }
        ProtocolName alpn = client.negotiated().getApplicationProtocol();
        return new StreamSslSocket(request.socket(), protocol.getInputStream(), protocol.getOutputStream(),
                session(client, request.target()), alpn == null ? null : alpn.getUtf8Decoding(), protocol::close);
    }

    /** Bouncy Castle's non-blocking mode behind an engine; it holds nothing native, so release only closes it. */
    @Override
    public BackendEngine engine(EngineRequest request) {
        UpgradeClient client = new UpgradeClient(crypto, settings, request, suites, offer);
        BcEngine engine = new BcEngine(client, request.peerHost(), request.port(), () -> session(client, request));
        return new BackendEngine(engine, engine::closeOutbound);
    }

    /** The session of a finished handshake, from what the client negotiated. */
    private static FixedSession session(UpgradeClient client, EngineRequest request) {
        SecurityParameters sp = client.negotiated();
        String version = TlsVersion.fromWireCode(sp.getNegotiatedVersion().getFullVersion())
                .map(TlsVersion::jsseName).orElse(sp.getNegotiatedVersion().getName());
        return new FixedSession(sp.getSessionID(), version, CipherSuites.name(sp.getCipherSuite()),
                client.peerChain(), client.localChain(), request.peerHost(), request.port(), BcEngine.PACKET_SIZE,
                BcEngine.APPLICATION_SIZE);
    }
}
