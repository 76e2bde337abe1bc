package dev.tlsupgrade.benchmarks;

import dev.tlsupgrade.TlsVersion;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;

/**
 * The anchor a BoringSSL user on the JVM would pick instead of the openssl backend: Netty's own
 * client pipeline, {@code SslHandler} on {@code SslProvider.OPENSSL} (the same tcnative), on one NIO
 * event loop, against the same server, doing the same work as the socket workloads: a full handshake
 * with a fresh name and one echoed byte, a resumed one (checked to resume first), 64-byte round
 * trips, or 16 KiB writes for a block. Host names are verified (the
 * HTTPS endpoint identification), as on the other paths.
 */
final class NettyAnchor implements Workload.Side {
    private static final AttributeKey<CompletableFuture<Void>> ECHO = AttributeKey.valueOf("echo");
    /** Bytes echoed back on a channel, released as they arrive, acquired by the round-trip loop. */
    private static final AttributeKey<Semaphore> ECHOED = AttributeKey.valueOf("echoed");
    private static final int CHUNK = 16 * 1024;
    /** The loopback address the benchmark servers listen on. */
    private static final String ADDRESS = dev.tlsupgrade.testing.Loopback.v4().getHostAddress();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final SslContext context;
    private final Workload workload;
    private final int port;

    NettyAnchor(Workload workload, int port, TlsVersion version, Path caPem) throws IOException, GeneralSecurityException {
        this.workload = workload;
        this.port = port;
        TrustManagerFactory tmf = Client.trust(TrustManagerFactory.getInstance("PKIX"), caPem);
        this.context = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).trustManager(tmf)
                .protocols(List.of(version.jsseName())).endpointIdentificationAlgorithm("HTTPS").build();
    }

    /** A connected channel to the server with TLS to {@code host}, handshake done. */
    private Channel connect(String host) throws Exception {
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.attr(ECHO).set(new CompletableFuture<>());
                        ch.attr(ECHOED).set(new Semaphore(0));
                        ch.pipeline().addLast(context.newHandler(ch.alloc(), host, port),
                                new SimpleChannelInboundHandler<ByteBuf>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                        ctx.channel().attr(ECHO).get().complete(null);
                                        ctx.channel().attr(ECHOED).get().release(msg.readableBytes());
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        ctx.channel().attr(ECHO).get().completeExceptionally(cause);
                                        ctx.close();
                                    }
                                });
                    }
                });
        Channel ch = b.connect(ADDRESS, port).sync().channel();
        ch.pipeline().get(SslHandler.class).handshakeFuture().sync();
        return ch;
    }

    /** Connects to {@code host}, exchanges a byte, closes; whether the handshake resumed a session. */
    private boolean exchangeByte(String host) throws Exception {
        Channel ch = connect(host);
        ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1})).sync();
        ch.attr(ECHO).get().get(10, TimeUnit.SECONDS);
        boolean resumed = resumed(ch.pipeline().get(SslHandler.class).engine());
        ch.close().sync();
        return resumed;
    }

    /**
     * Whether tcnative's engine resumed its session: Netty keeps the answer package-private
     * ({@code ReferenceCountedOpenSslEngine.isSessionReused}), so a resumed row asks it reflectively.
     */
    private static boolean resumed(SSLEngine engine) throws ReflectiveOperationException {
        java.lang.reflect.Method m = io.netty.handler.ssl.ReferenceCountedOpenSslEngine.class.getDeclaredMethod("isSessionReused");
        m.setAccessible(true);
        return (Boolean) m.invoke(engine);
    }

    @Override
    public double rate(long blockNanos) throws IOException {
        try {
            if (workload == Workload.NETTY_FULL_HANDSHAKE) {
                return Workload.count(blockNanos, () -> exchangeByte(Workload.freshName()));
            }
            if (workload == Workload.NETTY_RESUMED_HANDSHAKE) {
                exchangeByte(Resumption.HOST);
                if (!exchangeByte(Resumption.HOST)) {
                    throw new IllegalStateException("Netty's second connection to " + Resumption.HOST + " did not resume");
                }
                return Workload.count(blockNanos, () -> exchangeByte(Resumption.HOST));
            }
            if (workload == Workload.NETTY_ROUND_TRIP) {
                Channel ch = connect("rtt.bench.test");
                try {
                    Semaphore echoed = ch.attr(ECHOED).get();
                    byte[] message = new byte[64];
                    return Workload.count(blockNanos, () -> {
                        ch.writeAndFlush(Unpooled.wrappedBuffer(message));
                        if (!echoed.tryAcquire(message.length, 10, TimeUnit.SECONDS)) {
                            throw new IOException("the echo did not come back within 10 s");
                        }
                    });
                } finally {
                    ch.close().sync();
                }
            }
            Channel ch = connect("bulk.bench.test");
            try {
                byte[] chunk = new byte[CHUNK];
                long start = System.nanoTime();
                long end = start + blockNanos;
                long bytes = 0;
                do {
                    ChannelFuture last = null;
                    for (int i = 0; i < 64; i++) {
                        last = ch.write(Unpooled.wrappedBuffer(chunk));
                    }
                    ch.flush();
                    last.sync(); // the socket took the batch: Netty's own backpressure, as a blocking write has
                    bytes += 64L * CHUNK;
                } while (System.nanoTime() < end);
                return bytes / (1024.0 * 1024.0) / ((System.nanoTime() - start) / 1e9);
            } finally {
                ch.close().sync();
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("the Netty anchor failed: " + e, e);
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        ReferenceCountUtil.release(context);
    }
}
