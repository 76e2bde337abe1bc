package dev.tlsupgrade.testing;

import dev.tlsupgrade.TlsVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real MQTT broker: mosquitto in the foreground with one TLS listener on 127.0.0.1, pinned to one
 * TLS version (its {@code tls_version} is only a minimum, so the maximum comes from a per-process
 * OpenSSL config), serving {@link TestPki#good()} (or another identity, requiring client
 * certificates of a given CA), anonymous clients allowed. Stopped on
 * {@link #close()}. Mosquitto 2.0 cannot speak TLS 1.0. A machine without mosquitto fails the test
 * (./test installs it).
 */
public final class MosquittoServer implements LoopbackServer {
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

    private final Process process;
    private final int port;

    private MosquittoServer(TlsVersion version, Identity id, Identity clientCa) throws IOException, InterruptedException {
        if (!Files.isExecutable(MOSQUITTO)) {
            throw new AssertionError("mosquitto is not installed (" + MOSQUITTO + "); apt-get install mosquitto - ./test does");
        }
        if (version == TlsVersion.TLS_1_0) {
            throw new IllegalArgumentException("mosquitto 2.0 cannot speak TLS 1.0");
        }
        Path dir = Files.createTempDirectory("tlsupgrade-mosquitto");
        port = Loopback.freePort(Loopback.v4());
        Path opensslConf = dir.resolve("openssl.cnf");
        Files.writeString(opensslConf, OpenSslConf.pinned(version));
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, String.join("\n",
                "user root",
                "persistence false",
                "log_dest stdout",
                "allow_anonymous true",
                "listener " + port + " 127.0.0.1",
                "certfile " + id.certificatePem(),
                "keyfile " + id.keyPem(),
                "tls_version " + version.jsseName().toLowerCase(java.util.Locale.ROOT),
                "ciphers DEFAULT:@SECLEVEL=0",
                clientCa == null ? "" : "cafile " + clientCa.certificatePem() + "\nrequire_certificate true",
                ""));
        process = ServerProcesses.start("mosquitto", List.of(MOSQUITTO.toString(), "-c", conf.toString()),
                java.util.Map.of("OPENSSL_CONF", opensslConf.toString()), dir.resolve("stdout.log"), port, 15);
    }

    /** mosquitto speaking only {@code version} (TLS 1.1 to 1.3). */
    public static MosquittoServer start(TlsVersion version) throws IOException, InterruptedException {
        return new MosquittoServer(version, TestPki.get().good(), null);
    }

    /**
     * mosquitto speaking only {@code version}, serving {@code identity}, and requiring a client
     * certificate issued by the CA {@code clientCa}.
     */
    public static MosquittoServer start(TlsVersion version, Identity identity, Identity clientCa)
            throws IOException, InterruptedException {
        return new MosquittoServer(version, identity, clientCa);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        ServerProcesses.stop(process);
    }
}
