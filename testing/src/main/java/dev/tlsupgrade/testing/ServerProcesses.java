package dev.tlsupgrade.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Starting and stopping the real server processes tests run: wait for the port, stop for sure. */
final class ServerProcesses {
    private ServerProcesses() {
    }

    /**
     * Waits up to {@code seconds} until {@code port} accepts a connection; if the process dies or
     * the time runs out, kills it and throws with what its {@code logs} say.
     */
    static void awaitPort(String name, Process process, int port, int seconds, Path... logs)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            try (Socket probe = Loopback.connect(Loopback.v4(), port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    StringBuilder sb = new StringBuilder(name + " did not start:");
                    for (Path log : logs) {
                        if (Files.exists(log)) {
                            sb.append('\n').append(Files.readString(log));
                        }
                    }
                    throw new IOException(sb.toString());
                }
                Thread.sleep(50);
            }
        }
    }

    /** Asks {@code process} to stop (SIGTERM), then kills it if it has not within 15 s. */
    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
