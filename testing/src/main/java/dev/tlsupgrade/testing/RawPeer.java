package dev.tlsupgrade.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain TCP peer on loopback that misbehaves on purpose, the way real servers do: stays silent,
 * closes or resets after the ClientHello, or answers with a plaintext banner. It counts the bytes
 * and connections it received, so a test can prove that nothing was sent.
 */
public final class RawPeer implements AutoCloseable {
    private final ServerSocket server;
    private final Behaviour behaviour;
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new ArrayList<>();

    /** What the peer does with each accepted connection. */
    public enum Behaviour {
        /** Reads everything and never answers. */
        SILENT,
        /** Reads the first bytes (the ClientHello), then closes (FIN). */
        CLOSE_AFTER_HELLO,
        /** Reads the first bytes, then resets the connection (RST). */
        RESET_AFTER_HELLO,
        /** Sends an SMTP-like banner at once, then reads everything. */
        SMTP_BANNER,
        /**
         * Reads the ClientHello, then sends the header of a long handshake record and one byte of it
         * every 100 ms: every read succeeds, so only a deadline on the whole handshake ends it.
         */
        TRICKLE
    }

    private RawPeer(InetAddress address, Behaviour behaviour) throws IOException {
        this.server = new ServerSocket(0, 50, address);
        this.behaviour = behaviour;
        Thread t = new Thread(this::acceptLoop, "raw-peer-" + behaviour);
        t.setDaemon(true);
        t.start();
    }

    public static RawPeer start(Behaviour behaviour) throws IOException {
        return new RawPeer(Loopback.v4(), behaviour);
    }

    public static RawPeer start(InetAddress address, Behaviour behaviour) throws IOException {
        return new RawPeer(address, behaviour);
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetAddress address() {
        return server.getInetAddress();
    }

    /** Bytes received on all connections so far. */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                synchronized (open) {
                    open.add(s);
                }
                Thread t = new Thread(() -> serve(s), "raw-peer-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            switch (behaviour) {
                case SMTP_BANNER -> {
                    s.getOutputStream().write("220 mail.example.test ESMTP ready\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    drain(in, buf);
                }
                case SILENT -> drain(in, buf);
                case TRICKLE -> {
                    int n = in.read(buf);
                    if (n > 0) {
                        bytesReceived.addAndGet(n);
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(new byte[] {22, 3, 3, 0x40, 0}); // handshake record, TLS 1.2, 16 KiB to come
                    for (int i = 0; i < 600; i++) {
                        out.write(2);
                        out.flush();
                        Thread.sleep(100);
                    }
                }
                case CLOSE_AFTER_HELLO, RESET_AFTER_HELLO -> {
                    int n = in.read(buf);
                    if (n > 0) {
                        bytesReceived.addAndGet(n);
                    }
                    if (behaviour == Behaviour.RESET_AFTER_HELLO) {
                        s.setSoLinger(true, 0);
                    }
                    s.close();
                }
            }
        } catch (IOException ignored) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // The connection's part is over: its descriptor goes now, not when the peer stops.
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
            synchronized (open) {
                open.remove(s);
            }
        }
    }

    private void drain(InputStream in, byte[] buf) throws IOException {
        int n;
        while ((n = in.read(buf)) > 0) {
            bytesReceived.addAndGet(n);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
