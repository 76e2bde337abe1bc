package dev.tlsupgrade.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code gnutls-serv} in echo mode, configured by a GnuTLS priority string: the TLS stack of many
 * appliances and old Linux services, and the one Debian server that still speaks RC4, 3DES and TLS
 * without secure renegotiation. gnutls-serv has no option for its listening address, so it listens on
 * every address of the machine for the few seconds of a test; the tests connect over 127.0.0.1 only.
 * A test that cannot start it fails (apt-get install gnutls-bin; .ci/run does).
 */
public final class GnutlsServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private GnutlsServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Serves {@code identity} with the GnuTLS {@code priority} string; files go to {@code dir}. */
    public static GnutlsServer start(Identity identity, String priority, Path dir) throws IOException {
        Path log = Files.createTempFile(dir, "gnutls-serv", ".log");
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = Loopback.freePort(Loopback.v4());
            List<String> cmd = List.of("gnutls-serv", "--echo", "--disable-client-cert", "--port", String.valueOf(port),
                    "--x509certfile", identity.certificatePem().toString(), "--x509keyfile", identity.keyPem().toString(),
                    "--priority", priority);
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            } catch (IOException e) {
                throw new AssertionError("cannot run gnutls-serv (" + e.getMessage() + "); apt-get install gnutls-bin "
                        + "- .ci/run does", e);
            }
            if (listening(p, log, port)) {
                return new GnutlsServer(p, port);
            }
            p.destroyForcibly();
            last = new IOException("gnutls-serv did not start: " + Files.readString(log, StandardCharsets.UTF_8)
                    + "\ncommand: " + cmd);
        }
        throw last;
    }

    /** gnutls-serv prints "... listening on IPv4 0.0.0.0 port N...done" once it listens on N. */
    private static boolean listening(Process p, Path log, int port) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (out.contains("port " + port + "...done")) {
                return true;
            }
            if (!p.isAlive()) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            ServerProcesses.stop(process);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
