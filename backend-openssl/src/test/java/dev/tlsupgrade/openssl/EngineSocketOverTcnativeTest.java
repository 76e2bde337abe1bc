package dev.tlsupgrade.openssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tlsupgrade.internal.socket.EngineSocket;
import dev.tlsupgrade.internal.trust.CertificateVerifier;
import dev.tlsupgrade.testing.CoalescingTlsServer;
import dev.tlsupgrade.testing.JsseTestServer;
import dev.tlsupgrade.testing.Loopback;
import dev.tlsupgrade.testing.RecordingEngine;
import dev.tlsupgrade.testing.TestPki;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Core's engine socket driven by a real tcnative engine, with every engine result recorded: the
 * hard cases of an engine loop must occur here and be got through.
 */
@Timeout(60)
class EngineSocketOverTcnativeTest {
    private static final byte[] HALF = "half".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static RecordingEngine engine(SslContext ctx, int port) {
        return new RecordingEngine(ctx.newEngine(ByteBufAllocator.DEFAULT, "localhost", port));
    }

    private static SslContext context(String protocol) throws Exception {
        return SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL_REFCNT)
                .trustManager(new CertificateVerifier(Optional.of(TestPki.get().root().chain()), false, false, true))
                .protocols(protocol).endpointIdentificationAlgorithm(null).build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void handshakeTasksAndUnderflowsAreGotThroughAndBulkDataSurvivesBothWays(String protocol) throws Exception {
        SslContext ctx = context(protocol);
        try (JsseTestServer server = JsseTestServer.builder().protocols(protocol).start()) {
            RecordingEngine engine = engine(ctx, server.port());
            try (EngineSocket tls = new EngineSocket(Loopback.connect(Loopback.v4(), server.port()), engine,
                    () -> ReferenceCountUtil.release(engine.recorded()))) {
                tls.startHandshake();
                assertThat(tls.getSession().getProtocol()).isEqualTo(protocol);
                assertThat(engine.events()).as("certificate checks ran as delegated tasks").contains("TASK");
                assertThat(engine.events()).as("an unwrap wanted more bytes mid-handshake")
                        .anyMatch(e -> e.startsWith("UNWRAP BUFFER_UNDERFLOW/"));

                byte[] data = new byte[3 * 1024 * 1024 + 17];
                new Random(7).nextBytes(data);
                OutputStream out = tls.getOutputStream();
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        Random sizes = new Random(11);
                        for (int off = 0; off < data.length; ) {
                            int n = Math.min(data.length - off, 1 + sizes.nextInt(40_000));
                            out.write(data, off, n);
                            off += n;
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                byte[] echoed = new byte[data.length];
                new DataInputStream(tls.getInputStream()).readFully(echoed);
                writer.get(30, TimeUnit.SECONDS);
                assertThat(echoed).isEqualTo(data);
            }
        } finally {
            ReferenceCountUtil.release(ctx);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void halfCloseKeepsReadingAndListenersHearTheHandshake(String protocol) throws Exception {
        SslContext ctx = context(protocol);
        try (JsseTestServer server = JsseTestServer.builder().protocols(protocol).start()) {
            RecordingEngine engine = engine(ctx, server.port());
            try (EngineSocket tls = new EngineSocket(Loopback.connect(Loopback.v4(), server.port()), engine,
                    () -> ReferenceCountUtil.release(engine.recorded()), false)) {
                List<String> heard = new CopyOnWriteArrayList<>();
                tls.addHandshakeCompletedListener(e -> heard.add(e.getSession().getProtocol()));
                tls.startHandshake();
                assertThat(heard).containsExactly(protocol);
                tls.getOutputStream().write(HALF);
                if (protocol.equals("TLSv1.3")) {
                    assertThatThrownBy(tls::shutdownOutput).isInstanceOf(UnsupportedOperationException.class)
                            .hasMessageContaining("lose the peer's reply");
                    assertThat(tls.getInputStream().readNBytes(HALF.length)).isEqualTo(HALF);
                    return;
                }
                tls.shutdownOutput();
                assertThat(tls.isOutputShutdown()).isTrue();
                assertThat(tls.getInputStream().readAllBytes()).as("the echo still arrives, then the server's end")
                        .isEqualTo(HALF);
            }
        } finally {
            ReferenceCountUtil.release(ctx);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void withAnEngineThatReadsOnHalfCloseWorksOnBothVersions(String protocol) throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().protocols(protocol).start()) {
            SSLContext jdk = SSLContext.getInstance("TLS", "SunJSSE");
            jdk.init(null, new TrustManager[] {new CertificateVerifier(Optional.of(TestPki.get().root().chain()), false, false, true)},
                    null);
            SSLEngine engine = jdk.createSSLEngine("localhost", server.port());
            engine.setUseClientMode(true);
            engine.setEnabledProtocols(new String[] {protocol});
            try (EngineSocket tls = new EngineSocket(Loopback.connect(Loopback.v4(), server.port()), engine, () -> { })) {
                tls.getOutputStream().write(HALF);
                tls.shutdownOutput();
                assertThat(tls.getInputStream().readAllBytes()).isEqualTo(HALF);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void aLastFlightArrivingWithCloseNotifyCompletesTheHandshake(String protocol) throws Exception {
        SslContext ctx = context(protocol);
        try (CoalescingTlsServer server = new CoalescingTlsServer(protocol)) {
            RecordingEngine engine = engine(ctx, server.port());
            try (EngineSocket tls = new EngineSocket(Loopback.connect(Loopback.v4(), server.port()), engine,
                    () -> ReferenceCountUtil.release(engine.recorded()))) {
                tls.startHandshake();
                assertThat(tls.getSession().getProtocol()).isEqualTo(protocol);
                InputStream in = tls.getInputStream();
                assertThat(in.read()).as("the server's close_notify reads as end of stream").isEqualTo(-1);
                assertThat(server.failure()).isNull();
                if (protocol.equals("TLSv1.2")) {
                    assertThat(engine.events()).as("the server's Finished and close_notify were unwrapped together")
                            .contains("UNWRAP CLOSED/FINISHED");
                }
            }
        } finally {
            ReferenceCountUtil.release(ctx);
        }
    }
}
