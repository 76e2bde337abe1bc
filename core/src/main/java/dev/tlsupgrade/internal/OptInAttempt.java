package dev.tlsupgrade.internal;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.preamble.Preamble;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/**
 * Not for users: the probe runs this in a JVM of its own to try a version a backend offers only
 * after its JVM-wide opt-in, without changing the probing JVM. It makes the opt-in first thing,
 * upgrades one fresh connection, and prints one line: {@code OK <suite> <millis>} or
 * {@code FAILED <kind> <hint>}.
 *
 * <p>Arguments: backend, version (JSSE name), host, port, address or {@code -}, timeout in ms,
 * preamble ({@code none}, {@code rdp}, ...), then settings as {@code name=value}: {@code trust},
 * {@code pin}, {@code knownHosts}, {@code serverName}.
 */
public final class OptInAttempt {
    private OptInAttempt() {
    }

    public static void main(String[] args) throws Exception {
        String backend = args[0];
        // First thing: loading the backends is the JVM's first TLS use, after which SunJSSE ignores the change.
        TlsBackends.enableJvmWideOptIn(backend);
        TlsVersion version = TlsVersion.fromJsseName(args[1]).orElseThrow();
        String host = args[2];
        int port = Integer.parseInt(args[3]);
        Duration timeout = Duration.ofMillis(Long.parseLong(args[5]));
        TlsClientConfig.Builder config = TlsClientConfig.builder().protocols(version).handshakeTimeout(timeout);
        if (version.isLegacy()) {
            config.allowLegacyProtocols();
        }
        for (int i = 7; i < args.length; i++) {
            String name = args[i].substring(0, args[i].indexOf('='));
            String value = args[i].substring(name.length() + 1);
            switch (name) {
                case "trust" -> config.trustedCertificates(Path.of(value));
                case "pin" -> config.pinnedCertificates(value);
                case "knownHosts" -> config.knownHosts(Path.of(value));
                case "serverName" -> config.serverName(value);
                default -> throw new IllegalArgumentException("unknown setting " + name);
            }
        }
        try (TlsUpgrader upgrader = TlsBackends.get(backend).newUpgrader(config.build()); Socket plain = new Socket()) {
            plain.connect(args[4].equals("-") ? new InetSocketAddress(host, port)
                    : new InetSocketAddress(InetAddress.getByName(args[4]), port), (int) timeout.toMillis());
            Preamble.named(args[6], "tlsupgrade-probe.invalid").orElse(Preamble.none()).negotiate(plain, timeout);
            try (SSLSocket tls = upgrader.upgrade(plain, host, port)) {
                TlsHandshakeInfo info = TlsHandshakeInfo.of(tls).orElseThrow();
                System.out.println("OK " + info.cipherSuite() + " " + info.handshakeTime().toMillis());
            }
        } catch (TlsUpgradeException e) {
            System.out.println("FAILED " + e.kind() + " " + Text.escape(e.hint()));
        }
    }
}
