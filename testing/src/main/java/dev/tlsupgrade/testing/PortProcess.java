package dev.tlsupgrade.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real server process listening on a free port of 127.0.0.1, stopped on {@link #close()}. The
 * launchers here (gnutls-serv, stunnel4, nginx) write their config for the port they are given; a
 * port lost to another process in between is retried on a fresh one.
 */
public final class PortProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private PortProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** A launcher's command for one port: the command line, after writing whatever config it needs. */
    interface Command {
        List<String> at(int port) throws IOException;
    }

    /**
     * Starts {@code command} on a free port until one listens (five tries), its output in {@code dir};
     * fails naming {@code install} when {@code executable} is missing.
     */
    static PortProcess start(String name, Path executable, String install, Path dir, Command command) throws IOException {
        if (!Files.isExecutable(executable)) {
            throw new AssertionError(name + " is not installed (" + executable + "); apt-get install " + install
                    + " - ./test does");
        }
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = Loopback.freePort(Loopback.v4());
            try {
                Process p = ServerProcesses.start(name, command.at(port), Map.of(), dir.resolve(name + "-" + port + ".log"),
                        port, 10);
                return new PortProcess(p, port);
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting " + name, e);
            }
        }
        throw last;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        ServerProcesses.stopUninterruptibly(process);
    }
}
