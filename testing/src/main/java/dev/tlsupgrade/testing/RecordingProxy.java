package dev.tlsupgrade.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A one-connection TCP proxy on loopback that copies both directions and keeps every byte, as a
 * packet capture would: what the client sent and what the server sent.
 */
public final class RecordingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final ByteArrayOutputStream fromClient = new ByteArrayOutputStream();
    private final ByteArrayOutputStream fromServer = new ByteArrayOutputStream();

    public RecordingProxy(int targetPort) throws IOException {
        this.server = new ServerSocket(0, 1, Loopback.v4());
        Thread t = new Thread(() -> {
            try (Socket client = server.accept(); Socket target = Loopback.connect(Loopback.v4(), targetPort)) {
                Thread up = pump(client.getInputStream(), target.getOutputStream(), fromClient, target);
                pump(target.getInputStream(), client.getOutputStream(), fromServer, client).join();
                up.join();
            } catch (IOException e) {
                // the test sees what was captured
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "recording-proxy");
        t.setDaemon(true);
        t.start();
    }

    private static Thread pump(InputStream in, OutputStream out, ByteArrayOutputStream copy, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (copy) {
                        copy.write(buf, 0, n);
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
                to.shutdownOutput();
            } catch (IOException ignored) {
                // one side closed
            }
        }, "recording-proxy-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    public int port() {
        return server.getLocalPort();
    }

    public byte[] clientBytes() {
        synchronized (fromClient) {
            return fromClient.toByteArray();
        }
    }

    public byte[] serverBytes() {
        synchronized (fromServer) {
            return fromServer.toByteArray();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
