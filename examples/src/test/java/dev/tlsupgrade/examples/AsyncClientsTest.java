package dev.tlsupgrade.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tlsupgrade.FailureKind;
import dev.tlsupgrade.TlsBackend;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.LegacyServers;
import dev.tlsupgrade.testing.PortProcess;
import dev.tlsupgrade.testing.TestPki;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.HttpVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The asynchronous clients, each given tlsupgrade by the one line {@link UseWith} shows, against
 * nginx on loopback, on every backend: {@code java.net.http} (HTTP/1.1 and HTTP/2), Netty, Apache
 * HttpClient 5 async (HTTP/2) and Jetty 12; and legacy TLS 1.0 through the engines of the backends
 * that speak it per connection. A failure reaches each client with tlsupgrade's explanation inside.
 */
@Timeout(120)
class AsyncClientsTest {
    static Stream<String> backends() {
        return TlsBackends.available().stream().map(TlsBackend::name);
    }

    private static TlsUpgrader upgrader(String backend) {
        return TlsBackends.get(backend).newUpgrader(TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem())
                .handshakeTimeout(Duration.ofSeconds(10)).build());
    }

    /** nginx speaking TLS 1.2 and 1.3, HTTP/1.1 and HTTP/2. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ModernNginx {
        private PortProcess nginx;
        private URI uri;

        @BeforeAll
        void start(@TempDir Path dir) throws Exception {
            nginx = LegacyServers.nginx(TestPki.get().good(), dir, true, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
            uri = URI.create("https://localhost:" + nginx.port() + "/");
        }

        @AfterAll
        void stop() {
            nginx.close();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.tlsupgrade.examples.AsyncClientsTest#backends")
        void javaNetHttpGetsOverHttp11AndHttp2(String backend) throws Exception {
            try (TlsUpgrader upgrader = upgrader(backend)) {
                HttpClient client = UseWith.javaHttpClient(upgrader);
                for (HttpClient.Version version : HttpClient.Version.values()) {
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).version(version)
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.body()).isEqualTo(LegacyServers.NGINX_BODY + "\n");
                    assertThat(response.version()).as("negotiated by ALPN").isEqualTo(version);
                    assertThat(response.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
                }
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.tlsupgrade.examples.AsyncClientsTest#backends")
        void nettyExchangesHttp(String backend) throws Exception {
            try (TlsUpgrader upgrader = upgrader(backend)) {
                assertThat(nettyGet(UseWith.netty(upgrader), nginx.port())).startsWith("HTTP/1.1 200")
                        .endsWith(LegacyServers.NGINX_BODY + "\n");
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.tlsupgrade.examples.AsyncClientsTest#backends")
        void httpClient5AsyncNegotiatesHttp2(String backend) throws Exception {
            try (TlsUpgrader upgrader = upgrader(backend);
                    CloseableHttpAsyncClient client = UseWith.httpClient5Async(upgrader)) {
                HttpClientContext context = HttpClientContext.create();
                SimpleHttpResponse response = client.execute(SimpleRequestBuilder.get(uri).build(), context, null)
                        .get(20, TimeUnit.SECONDS);
                assertThat(response.getCode()).isEqualTo(200);
                assertThat(response.getBodyText()).isEqualTo(LegacyServers.NGINX_BODY + "\n");
                assertThat(context.getProtocolVersion()).isEqualTo(HttpVersion.HTTP_2);
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.tlsupgrade.examples.AsyncClientsTest#backends")
        void jettyGets(String backend) throws Exception {
            try (TlsUpgrader upgrader = upgrader(backend)) {
                org.eclipse.jetty.client.HttpClient client = UseWith.jetty(upgrader);
                try {
                    org.eclipse.jetty.client.ContentResponse response = client.newRequest(uri)
                            .timeout(20, TimeUnit.SECONDS).send();
                    assertThat(response.getStatus()).isEqualTo(200);
                    assertThat(response.getContentAsString()).isEqualTo(LegacyServers.NGINX_BODY + "\n");
                } finally {
                    client.stop();
                }
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.tlsupgrade.examples.AsyncClientsTest#backends")
        void anUntrustedServerReachesJavaNetHttpExplained(String backend) throws Exception {
            // No trusted certificates: the platform's CAs, which never issued the test CA.
            try (TlsUpgrader upgrader = TlsBackends.get(backend).newUpgrader(TlsClientConfig.defaults())) {
                Throwable e = catchThrowable(() -> UseWith.javaHttpClient(upgrader).send(HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
                TlsUpgradeException explained = TlsUpgradeException.find(e).orElseThrow(() ->
                        new AssertionError("no explanation in " + e, e));
                assertThat(explained.kind()).as(explained.getMessage()).isEqualTo(FailureKind.CERTIFICATE_UNTRUSTED);
                assertThat(explained.backend()).isEqualTo(backend);
            }
        }
    }

    /** nginx pinned to TLS 1.0: the backends that speak it per connection reach it through their engines. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class LegacyNginx {
        private PortProcess nginx;

        @BeforeAll
        void start(@TempDir Path dir) throws Exception {
            nginx = LegacyServers.nginx(TestPki.get().good(), TlsVersion.TLS_1_0, dir);
        }

        @AfterAll
        void stop() {
            nginx.close();
        }

        private TlsUpgrader legacy(String backend) {
            return TlsBackends.get(backend).newUpgrader(TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem())
                    .protocols(TlsVersion.TLS_1_0).allowLegacyProtocols().handshakeTimeout(Duration.ofSeconds(10)).build());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"openssl", "bctls"})
        void javaNetHttpReachesTls10(String backend) throws Exception {
            try (TlsUpgrader upgrader = legacy(backend)) {
                HttpResponse<String> response = UseWith.javaHttpClient(upgrader).send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + nginx.port() + "/")).version(HttpClient.Version.HTTP_1_1)
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.body()).isEqualTo(LegacyServers.NGINX_BODY + "\n");
                assertThat(response.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1");
            }
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"openssl", "bctls"})
        void nettyReachesTls10(String backend) throws Exception {
            try (TlsUpgrader upgrader = legacy(backend)) {
                assertThat(nettyGet(UseWith.netty(upgrader), nginx.port())).startsWith("HTTP/1.1 200")
                        .endsWith(LegacyServers.NGINX_BODY + "\n");
            }
        }
    }

    /** One HTTP/1.1 request through a Netty pipeline with {@code tls}'s handler; returns the whole response. */
    private static String nettyGet(io.netty.handler.ssl.SslContext tls, int port) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            CompletableFuture<String> response = new CompletableFuture<>();
            StringBuilder got = new StringBuilder();
            Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            SslHandler handler = tls.newHandler(ch.alloc(), "localhost", port);
                            handler.setHandshakeTimeoutMillis(10_000);
                            ch.pipeline().addLast(handler, new SimpleChannelInboundHandler<ByteBuf>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                    got.append(msg.toString(StandardCharsets.US_ASCII));
                                }

                                @Override
                                public void channelInactive(ChannelHandlerContext ctx) {
                                    response.complete(got.toString());
                                }

                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    response.completeExceptionally(cause);
                                    ctx.close();
                                }
                            });
                        }
                    }).connect("127.0.0.1", port).sync().channel();
            channel.pipeline().get(SslHandler.class).handshakeFuture().sync();
            channel.writeAndFlush(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                    StandardCharsets.US_ASCII));
            return response.get(20, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
