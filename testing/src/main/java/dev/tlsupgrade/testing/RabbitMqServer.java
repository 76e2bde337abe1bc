package dev.tlsupgrade.testing;

import dev.tlsupgrade.TlsVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A real AMQP broker: rabbitmq-server (Erlang) in the foreground with only a TLS listener on
 * 127.0.0.1, pinned to one TLS version, serving {@link TestPki#good()}; the guest user may connect
 * from loopback. Its Erlang distribution and port mapper (epmd) listen on loopback ports of their
 * own, and both are stopped on {@link #close()}. It takes about 12 s to start on two cores. A machine
 * without rabbitmq-server fails the test (./test installs it).
 */
public final class RabbitMqServer implements LoopbackServer {
    private static final Path SERVER = Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server");

    private final Process process;
    private final int port;
    private final int epmdPort;

    private RabbitMqServer(TlsVersion version) throws IOException, InterruptedException {
        if (!Files.isExecutable(SERVER)) {
            throw new AssertionError("rabbitmq-server is not installed (" + SERVER + "); apt-get install rabbitmq-server"
                    + " - ./test does");
        }
        Path dir = Files.createTempDirectory("tlsupgrade-rabbitmq");
        port = Loopback.freePort(Loopback.v4());
        epmdPort = Loopback.freePort(Loopback.v4());
        int distPort = Loopback.freePort(Loopback.v4());
        Identity id = TestPki.get().good();
        Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
        Files.writeString(dir.resolve("rabbitmq.conf"), String.join("\n",
                "listeners.tcp = none",
                "listeners.ssl.default = 127.0.0.1:" + port,
                "ssl_options.certfile = " + id.certificatePem(),
                "ssl_options.keyfile = " + id.keyPem(),
                "ssl_options.versions.1 = " + version.jsseName().toLowerCase(Locale.ROOT),
                "loopback_users = none",
                ""));
        java.util.Map<String, String> env = new java.util.HashMap<>();
        env.put("HOME", dir.toString()); // the Erlang cookie goes here
        env.put("RABBITMQ_NODENAME", "tlsupgrade-" + port + "@localhost");
        env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq").toString());
        env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_DIST_PORT", String.valueOf(distPort));
        env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
        env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
        env.put("ERL_EPMD_PORT", String.valueOf(epmdPort));
        try {
            process = ServerProcesses.start("rabbitmq-server", List.of(SERVER.toString()), env, dir.resolve("stdout.log"),
                    port, 60);
        } catch (IOException e) {
            stopEpmd();
            throw e;
        }
    }

    /** A broker speaking only {@code version} on its TLS listener. */
    public static RabbitMqServer start(TlsVersion version) throws IOException, InterruptedException {
        return new RabbitMqServer(version);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        ServerProcesses.stop(process);
        stopEpmd();
    }

    /** The port mapper the broker started outlives it: stop it too. */
    private void stopEpmd() throws InterruptedException {
        try {
            ProcessBuilder pb = new ProcessBuilder("epmd", "-kill").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("ERL_EPMD_PORT", String.valueOf(epmdPort));
            pb.start().waitFor();
        } catch (IOException ignored) {
            // no epmd on the PATH: nothing was started
        }
    }
}
