package dev.tlsupgrade.testing;

import dev.tlsupgrade.TlsVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server on 127.0.0.1 with SSL pinned to one TLS version, serving
 * {@link TestPki#good()}: initdb once per JVM into a temporary folder, a postmaster per
 * {@link #start}, stopped on {@link #close()}. Run as the {@code postgres} user when the tests run
 * as root. A machine without PostgreSQL fails the test (./test installs it).
 */
public final class PostgresServer implements LoopbackServer {
    private static Path cluster;

    private final Process process;
    private final int port;
    private final List<String> output = new ArrayList<>();

    private PostgresServer(TlsVersion version) throws IOException, InterruptedException {
        Path data = cluster();
        this.port = Loopback.freePort(Loopback.v4());
        List<String> cmd = asPostgres(bin("postgres").toString(), "-D", data.toString(),
                "-c", "listen_addresses=127.0.0.1", "-c", "port=" + port,
                "-c", "unix_socket_directories=" + data.getParent(),
                "-c", "ssl=on", "-c", "ssl_cert_file=server.crt", "-c", "ssl_key_file=server.key",
                "-c", "ssl_min_protocol_version=" + version.jsseName(), "-c", "ssl_max_protocol_version=" + version.jsseName(),
                "-c", "ssl_ciphers=DEFAULT:@SECLEVEL=0", "-c", "fsync=off");
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                        output.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the server stopped
            }
        }, "postgres-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (output) {
            while (output.stream().noneMatch(l -> l.contains("ready to accept connections"))) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("PostgreSQL did not start: " + String.join("\n", output));
                }
                output.wait(100);
            }
        }
    }

    /** A server that speaks only {@code version}. */
    public static PostgresServer start(TlsVersion version) throws IOException, InterruptedException {
        return new PostgresServer(version);
    }

    @Override
    public int port() {
        return port;
    }

    private static Path bin(String name) throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            throw new AssertionError("PostgreSQL is not installed (no /usr/lib/postgresql); apt-get install postgresql - "
                    + "./test does");
        }
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin").resolve(name)).filter(Files::isExecutable)
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new AssertionError("no PostgreSQL " + name + " under " + base));
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asPostgres(String... cmd) {
        List<String> out = new ArrayList<>();
        if (root()) {
            out.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
        }
        out.addAll(List.of(cmd));
        return out;
    }

    private static synchronized Path cluster() throws IOException, InterruptedException {
        if (cluster != null) {
            return cluster;
        }
        Path dir = Files.createTempDirectory("tlsupgrade-postgres",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path data = dir.resolve("data");
        if (root()) {
            ServerProcesses.run(List.of("chown", "postgres:postgres", dir.toString()), 60);
        }
        ServerProcesses.run(asPostgres(bin("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                "--no-sync"), 60);
        Identity id = TestPki.get().good();
        Path crt = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        Files.copy(id.certificatePem(), crt);
        Files.copy(id.keyPem(), key);
        Files.writeString(dir.resolve("pg_hba.conf"), "hostssl all all 127.0.0.1/32 trust\n");
        for (String f : new String[] {"server.crt", "server.key", "pg_hba.conf"}) {
            List<String> copy = asPostgres("cp", dir.resolve(f).toString(), data.resolve(f).toString());
            ServerProcesses.run(copy, 60);
            ServerProcesses.run(asPostgres("chmod", "600", data.resolve(f).toString()), 60);
        }
        cluster = data;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
        return data;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind
        }
    }

    /** Stops the server (fast shutdown) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        ServerProcesses.stop(process);
    }
}
