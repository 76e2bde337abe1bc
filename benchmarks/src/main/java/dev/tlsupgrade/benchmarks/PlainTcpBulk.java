package dev.tlsupgrade.benchmarks;

import dev.tlsupgrade.testing.Loopback;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Plain TCP over the loopback the bulk rows use, doing what they do without TLS: each block a new
 * connection, 16 KiB writes (or, batched, each 64 of them gathered into one) from the calling thread
 * to a reader thread in this JVM that discards them. The ceiling of any TLS bulk figure here, and the
 * raw side of the {@code PLAIN_BULK} rows, so that "tlsupgrade / plain TCP" is measured pair by pair
 * like every other ratio.
 */
final class PlainTcpBulk implements Workload.Side {
    private final ServerSocket server;
    private final Thread acceptor;
    private final boolean batched;

    /** @param batched whether each round of 64 writes goes through a BufferedOutputStream as one write */
    PlainTcpBulk(boolean batched) throws IOException {
        this.batched = batched;
        server = new ServerSocket(0, 16, Loopback.v4());
        acceptor = new Thread(this::acceptLoop, "plain-tcp-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket accepted;
            try {
                accepted = server.accept();
            } catch (IOException closed) {
                return;
            }
            Thread reader = new Thread(() -> discard(accepted), "plain-tcp-reader");
            reader.setDaemon(true);
            reader.start();
        }
    }

    private static void discard(Socket accepted) {
        byte[] buf = new byte[32 * 1024];
        try (Socket s = accepted; InputStream in = s.getInputStream()) {
            while (in.read(buf) > 0) {
                // discard
            }
        } catch (IOException closed) {
            // the writer is done
        }
    }

    @Override
    public double rate(long blockNanos) throws IOException {
        try (Socket client = Loopback.connect(Loopback.v4(), server.getLocalPort())) {
            return Workload.writeFor(client.getOutputStream(), batched, blockNanos);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
