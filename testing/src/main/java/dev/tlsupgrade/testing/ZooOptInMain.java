package dev.tlsupgrade.testing;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/**
 * Run in a JVM of its own by {@link LegacyZooContract} for the cells that hold only after a backend's
 * JVM-wide opt-in: makes the opt-in first thing, then upgrades to the zoo server on the given port with
 * the cell's concessions and prints {@code REACHED <version>} (after data crossed) or
 * {@code REFUSED <kind> <message>}.
 *
 * <p>Arguments: backend, zoo behaviour, port, trust file (CA PEM, or known_hosts for a self-signed
 * host), and how the server talks ({@link LegacyZoo.ZooServer.Talk}).
 */
public final class ZooOptInMain {
    private ZooOptInMain() {
    }

    public static void main(String[] args) throws Exception {
        String backend = args[0];
        TlsBackends.enableJvmWideOptIn(backend);
        LegacyZoo zoo = LegacyZoo.valueOf(args[1]);
        int port = Integer.parseInt(args[2]);
        Path trust = Path.of(args[3]);
        LegacyZoo.ZooServer.Talk talk = LegacyZoo.ZooServer.Talk.valueOf(args[4]);
        TlsClientConfig.Builder base = TlsClientConfig.builder().handshakeTimeout(Duration.ofSeconds(4));
        base = zoo.selfSigned() ? base.knownHosts(trust) : base.trustedCertificates(trust);
        try (TlsUpgrader upgrader = TlsBackends.get(backend).newUpgrader(zoo.cell(backend).apply(base).build());
                SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), port), "localhost", port)) {
            talk.assertDataCrosses(tls);
            System.out.println("REACHED " + TlsHandshakeInfo.of(tls).orElseThrow().version());
        } catch (TlsUpgradeException e) {
            System.out.println("REFUSED " + e.kind() + " " + e.getMessage());
        }
    }
}
