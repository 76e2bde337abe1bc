package dev.tlsupgrade.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starting and stopping the real server processes tests run: set-up commands run to their end,
 * wait for the port, stop for sure.
 */
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
                    throw new IOException(name + " did not start:" + quote(logs));
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * Starts {@code cmd} with {@code environment} added, its output (both streams) in {@code log},
     * and waits as {@link #awaitPort} does; {@code logs} are quoted too if it does not start.
     */
    static Process start(String name, List<String> cmd, java.util.Map<String, String> environment, Path log, int port,
            int seconds, Path... logs) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(environment);
        Process process = pb.start();
        Path[] all = new Path[logs.length + 1];
        all[0] = log;
        System.arraycopy(logs, 0, all, 1, logs.length);
        awaitPort(name, process, port, seconds, all);
        return process;
    }

    /**
     * Runs a set-up command to its end (within {@code seconds}); if it fails or takes longer, throws
     * with its output and what the {@code logs} say.
     */
    static void run(List<String> cmd, int seconds, Path... logs) throws IOException, InterruptedException {
        Path output = Files.createTempFile("tlsupgrade-setup", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            if (!ended || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + (ended ? " failed:" : " did not end in " + seconds + " s:")
                        + quote(output) + quote(logs));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** What the logs that exist say, each on lines of its own. */
    private static String quote(Path... logs) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path log : logs) {
            if (Files.exists(log)) {
                sb.append('\n').append(Files.readString(log));
            }
        }
        return sb.toString();
    }

    /** Asks {@code process} to stop (SIGTERM), then kills it if it has not within 15 s. */
    /** {@link #stop}, for a close() that cannot throw: interrupted, it kills the process and keeps the interrupt. */
    static void stopUninterruptibly(Process process) {
        try {
            stop(process);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
