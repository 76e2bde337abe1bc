package dev.tlsupgrade.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;

/**
 * A one-connection TLS server on a JDK engine that holds back what it sends until it must wait for
 * the client, and closes (close_notify) the moment its handshake is done: its last handshake flight
 * and its close_notify reach the client in one TCP write. That is what some servers do, and what a
 * naive engine loop mistakes for a failed handshake.
 */
public final class CoalescingTlsServer implements AutoCloseable {
    private final ServerSocket server;
    private volatile Throwable failure;

    public CoalescingTlsServer(String protocol) throws IOException {
        this.server = new ServerSocket(0, 1, Loopback.v4());
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                serve(s, protocol);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                failure = e;
            }
        }, "coalescing-tls-server");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** What went wrong on the server side, if anything. */
    public Throwable failure() {
        return failure;
    }

    private static void serve(Socket s, String protocol) throws IOException, GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS", "SunJSSE");
        ctx.init(TestPki.get().good().keyManagerFactory().getKeyManagers(), null, null);
        SSLEngine engine = ctx.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setEnabledProtocols(new String[] {protocol});
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        int packet = engine.getSession().getPacketBufferSize();
        ByteBuffer netIn = ByteBuffer.allocate(packet * 2);
        ByteBuffer pending = ByteBuffer.allocate(packet * 8);
        ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() * 2);
        engine.beginHandshake();
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_WRAP) {
                engine.wrap(ByteBuffer.allocate(0), pending);
            } else if (hs == HandshakeStatus.NEED_TASK) {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } else if (hs == HandshakeStatus.NEED_UNWRAP || hs == HandshakeStatus.NEED_UNWRAP_AGAIN) {
                flush(out, pending);
                netIn.flip();
                SSLEngineResult r = engine.unwrap(netIn, app);
                netIn.compact();
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
                    if (n < 0) {
                        throw new IOException("client went away");
                    }
                    netIn.position(netIn.position() + n);
                }
            } else {
                break;
            }
        }
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            engine.wrap(ByteBuffer.allocate(0), pending);
        }
        flush(out, pending);
        s.shutdownOutput();
        in.readAllBytes();
    }

    private static void flush(OutputStream out, ByteBuffer pending) throws IOException {
        if (pending.position() > 0) {
            out.write(pending.array(), 0, pending.position());
            out.flush();
            pending.clear();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
