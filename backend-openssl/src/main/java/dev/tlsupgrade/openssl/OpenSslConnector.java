package dev.tlsupgrade.openssl;

import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.internal.socket.EngineSocket;
import dev.tlsupgrade.spi.BackendConnector;
import dev.tlsupgrade.spi.BackendEngine;
import dev.tlsupgrade.spi.ConnectorSettings;
import dev.tlsupgrade.spi.EngineRequest;
import dev.tlsupgrade.spi.HandshakeRequest;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One reference-counted tcnative context per config ({@code OPENSSL_REFCNT}: native memory is freed
 * when released, not when the garbage collector gets to it), and per handshake one engine inside
 * core's {@link EngineSocket}, which releases the engine when the socket closes or the handshake
 * fails.
 */
final class OpenSslConnector implements BackendConnector {
    static final int SESSION_CACHE_SIZE = 1024;

    private final SslContext context;
    private final boolean fallbackSignal;

    OpenSslConnector(ConnectorSettings settings) {
        TlsClientConfig config = settings.config();
        this.fallbackSignal = config.fallbackSignal();
        SslContextBuilder b = SslContextBuilder.forClient()
                .sslProvider(SslProvider.OPENSSL_REFCNT)
                .trustManager(settings.trustManager())
                .protocols(config.protocolNames())
                // Host names are checked by core's trust manager, the same way for every backend.
                .endpointIdentificationAlgorithm(null)
                // Ask for a stapled OCSP response; servers without one simply send none.
                .enableOcsp(true)
                // Cached sessions hold native memory (several KiB each, with the peer's chain); Netty's default
                // of 20480 lets one long-lived upgrader keep ~100 MiB. 1024 servers' sessions is plenty.
                .sessionCacheSize(SESSION_CACHE_SIZE);
        settings.keyManager().ifPresent(b::keyManager);
        if (!config.cipherSuites().isEmpty()) {
            b.ciphers(config.cipherSuites());
        }
        if (!config.alpn().isEmpty()) {
            b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, config.alpn()));
        }
        if (!config.namedGroups().isEmpty()) {
            b.option(OpenSslContextOption.GROUPS, config.namedGroups().toArray(new String[0]));
        }
        try {
            this.context = b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("openssl cannot use this config (" + config + "): " + e.getMessage(), e);
        }
        settings.keyLog().ifPresent(log -> {
            // BoringSSL hands out every secret as a ready NSS key log line.
            if (!io.netty.internal.tcnative.SSLContext.setKeyLogCallback(tcnativeHandle(context),
                    (ssl, line) -> log.write(new String(line, StandardCharsets.US_ASCII)))) {
                ReferenceCountUtil.release(context);
                throw new IllegalStateException("this tcnative build cannot write a key log");
            }
        });
    }

    /**
     * tcnative's own context handle, which its SSLContext functions take. Netty keeps it in a
     * protected field; its public accessors return the raw SSL_CTX pointer, which crashes them.
     */
    private static long tcnativeHandle(SslContext context) {
        try {
            Field ctx = ReferenceCountedOpenSslContext.class.getDeclaredField("ctx");
            ctx.setAccessible(true);
            return ctx.getLong(context);
        } catch (ReflectiveOperationException | RuntimeException e) {
            ReferenceCountUtil.release(context);
            throw new IllegalStateException("cannot reach tcnative's context to install the key log callback "
                    + "(this Netty version keeps it elsewhere): " + e, e);
        }
    }

    @Override
    public List<String> enabledCipherSuites() {
        return context.cipherSuites();
    }

    @Override
    public SSLSocket handshake(HandshakeRequest request) throws IOException {
        BackendEngine engine = engine(request.target());
        EngineSocket socket;
        try {
            // tcnative stops reading once its close_notify went out on TLS 1.3 (measured): no half close there.
            socket = new EngineSocket(request.socket(), engine.engine(), engine.release(), false);
        } catch (IOException | RuntimeException e) {
            engine.release().run();
            throw e;
        }
        try {
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public BackendEngine engine(EngineRequest request) {
        SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT, request.peerHost(), request.port());
        try {
            // Fresh parameters, not the engine's: unset suites and protocols stay as the context set them, and
            // copying the engine's full set costs more than the rest of a resumed handshake's Java side (profiled).
            SSLParameters params = new SSLParameters();
            // tcnative sends no SNI for single-label names such as localhost: set it explicitly, or none.
            params.setServerNames(request.sniHostName()
                    .<List<SNIServerName>>map(n -> List.of(new SNIHostName(n))).orElse(List.of()));
            params.setEndpointIdentificationAlgorithm(null);
            engine.setSSLParameters(params);
            if (fallbackSignal) {
                signalFallback((ReferenceCountedOpenSslEngine) engine);
            }
            return new BackendEngine(engine, () -> ReferenceCountUtil.release(engine));
        } catch (RuntimeException e) {
            ReferenceCountUtil.release(engine);
            throw e;
        }
    }

    /** BoringSSL's SSL_MODE_SEND_FALLBACK_SCSV (ssl.h), which tcnative passes through but does not name. */
    private static final int SEND_FALLBACK_SCSV = 0x00000400;

    /** RFC 7507: BoringSSL adds TLS_FALLBACK_SCSV to this connection's ClientHello. */
    private static void signalFallback(ReferenceCountedOpenSslEngine engine) {
        long ssl = engine.sslPointer();
        io.netty.internal.tcnative.SSL.setMode(ssl, io.netty.internal.tcnative.SSL.getMode(ssl) | SEND_FALLBACK_SCSV);
    }

    @Override
    public Optional<byte[]> stapledOcspResponse(SSLSocket socket) {
        return socket instanceof EngineSocket s ? stapledOcspResponse(s.engine()) : Optional.empty();
    }

    @Override
    public Optional<byte[]> stapledOcspResponse(SSLEngine engine) {
        return engine instanceof ReferenceCountedOpenSslEngine e ? Optional.ofNullable(e.getOcspResponse()) : Optional.empty();
    }

    @Override
    public void close() {
        ReferenceCountUtil.release(context);
    }
}
