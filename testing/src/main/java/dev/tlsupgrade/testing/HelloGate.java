package dev.tlsupgrade.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A loopback front for a real TLS server that reacts to each ClientHello the way a broken old server
 * or middlebox does (closing on a version or an extension it does not know, swallowing hellos of an
 * unlucky size, answering with SSL 3.0), and otherwise forwards the connection unchanged both ways.
 * These misbehaviours exist in the field but no server shows them by configuration.
 */
public final class HelloGate implements AutoCloseable {
    /** What the gate does with one connection, decided from its ClientHello. */
    public enum Answer {
        /** Forward the hello and everything after it to the server, both ways. */
        FORWARD,
        /** Close (FIN) without a word. */
        CLOSE,
        /** Answer with a fatal handshake_failure alert, then close. */
        ALERT_HANDSHAKE_FAILURE,
        /** Keep the connection open and say nothing (the F5 size bug). */
        SILENT,
        /** Answer with a ServerHello for SSL 3.0, as a server that speaks nothing newer does. */
        SSL3_SERVER_HELLO
    }

    private final ServerSocket listener;
    private final int target;
    private final Function<ClientHelloView, Answer> rule;
    private final List<Socket> open = new ArrayList<>();

    /** @param target the port of the real server on 127.0.0.1 (unused when the rule never forwards) */
    public HelloGate(int target, Function<ClientHelloView, Answer> rule) throws IOException {
        this.listener = new ServerSocket(0, 50, Loopback.v4());
        this.target = target;
        this.rule = rule;
        Thread t = new Thread(this::acceptLoop, "hello-gate");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (!track(client)) {
                    return;
                }
                Thread c = new Thread(() -> serve(client), "hello-gate-connection");
                c.setDaemon(true);
                c.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private boolean track(Socket s) throws IOException {
        synchronized (open) {
            if (listener.isClosed()) {
                s.close();
                return false;
            }
            open.add(s);
            return true;
        }
    }

    private void serve(Socket client) {
        try {
            ClientHelloView hello = ClientHelloView.read(client.getInputStream());
            OutputStream out = client.getOutputStream();
            switch (rule.apply(hello)) {
                case FORWARD -> forward(client, hello);
                case CLOSE -> client.close();
                case ALERT_HANDSHAKE_FAILURE -> alert(client, 40, hello);
                case SILENT -> client.getInputStream().transferTo(OutputStream.nullOutputStream());
                case SSL3_SERVER_HELLO -> {
                    out.write(ssl3ServerHello(hello));
                    out.flush();
                    client.getInputStream().transferTo(OutputStream.nullOutputStream());
                }
            }
        } catch (IOException ended) {
            // the client or the gate closed
        } finally {
            close(client);
        }
    }

    private static void alert(Socket client, int description, ClientHelloView hello) throws IOException {
        int version = Math.min(hello.legacyVersion(), 0x0301);
        client.getOutputStream().write(new byte[] {21, (byte) (version >> 8), (byte) version, 0, 2, 2, (byte) description});
        client.getOutputStream().flush();
        client.shutdownOutput();
        client.getInputStream().transferTo(OutputStream.nullOutputStream());
    }

    /** An SSL 3.0 ServerHello choosing the client's first suite, as an SSL 3.0-only server answers any hello. */
    static byte[] ssl3ServerHello(ClientHelloView hello) {
        int suite = hello.cipherSuites().stream().filter(c -> c < 0x1300 || c > 0x13ff).findFirst().orElse(0x002f);
        byte[] body = new byte[4 + 2 + 32 + 1 + 2 + 1];
        body[0] = 2;
        body[3] = (byte) (body.length - 4);
        body[4] = 3;
        body[5] = 0;
        body[4 + 2 + 32 + 1] = (byte) (suite >> 8);
        body[4 + 2 + 32 + 2] = (byte) suite;
        for (int i = 0; i < 32; i++) {
            body[6 + i] = (byte) (i * 7 + 1);
        }
        byte[] record = new byte[5 + body.length];
        record[0] = 22;
        record[1] = 3;
        record[2] = 0;
        record[4] = (byte) body.length;
        System.arraycopy(body, 0, record, 5, body.length);
        return record;
    }

    private void forward(Socket client, ClientHelloView hello) throws IOException {
        try (Socket server = Loopback.connect(Loopback.v4(), target)) {
            if (!track(server)) {
                return;
            }
            server.getOutputStream().write(hello.record());
            Thread up = new Thread(() -> pump(client, server), "hello-gate-up");
            up.setDaemon(true);
            up.start();
            pump(server, client);
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            in.transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException ended) {
            close(to);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (open) {
            listener.close();
            open.forEach(HelloGate::close);
            open.clear();
        }
    }
}
