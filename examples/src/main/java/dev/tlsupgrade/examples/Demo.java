package dev.tlsupgrade.examples;

import dev.tlsupgrade.TlsBackend;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.JsseTestServer;
import dev.tlsupgrade.testing.LegacyTlsServer;
import dev.tlsupgrade.testing.TestPki;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * The {@code demo} command: starts loopback servers in this JVM (TLS 1.3 and 1.2 through the JDK, a
 * TLS 1.0-only one through Bouncy Castle's low-level protocol, none of them changing anything
 * JVM-wide), upgrades to each through every available backend, and prints a table of what happened,
 * failures with their hints.
 */
final class Demo {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final PrintStream out;
    private final List<String[]> rows = new ArrayList<>();

    Demo(PrintStream out) {
        this.out = out;
    }

    private record Target(String label, int port, boolean legacyOnly) {
    }

    int run() throws Exception {
        out.println("tlsupgrade demo: every available backend against embedded loopback servers");
        out.println("backends found: " + TlsBackends.all());
        out.println();
        List<AutoCloseable> servers = new ArrayList<>();
        List<Target> targets = new ArrayList<>();
        try {
            JsseTestServer tls13 = JsseTestServer.builder().protocols("TLSv1.3").start();
            servers.add(tls13);
            targets.add(new Target("TLS 1.3 (in-process JSSE)", tls13.port(), false));
            JsseTestServer tls12 = JsseTestServer.builder().protocols("TLSv1.2").start();
            servers.add(tls12);
            targets.add(new Target("TLS 1.2 (in-process JSSE)", tls12.port(), false));
            LegacyTlsServer tls10 = LegacyTlsServer.start(TlsVersion.TLS_1_0);
            servers.add(tls10);
            targets.add(new Target("TLS 1.0 only (in-process Bouncy Castle)", tls10.port(), true));
            for (TlsBackend backend : TlsBackends.available()) {
                for (Target t : targets) {
                    attempt(backend, t, "default", TlsClientConfig.builder());
                    if (t.legacyOnly) {
                        attempt(backend, t, "legacy allowed", TlsClientConfig.builder().allowLegacyProtocols()
                                .protocols(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3));
                    }
                }
            }
        } finally {
            for (AutoCloseable s : servers) {
                s.close();
            }
        }
        print();
        return 0;
    }

    private void attempt(TlsBackend backend, Target target, String configName, TlsClientConfig.Builder config) {
        TlsClientConfig c = config.trustedCertificates(TestPki.get().caPem()).handshakeTimeout(TIMEOUT).build();
        TlsUpgrader upgrader;
        try {
            upgrader = backend.newUpgrader(c);
        } catch (IllegalArgumentException refused) {
            rows.add(new String[] {backend.name(), target.label, configName, "refused before connecting", "", "",
                    refused.getMessage()});
            return;
        }
        try (upgrader; Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target.port), 5000);
            try (SSLSocket tls = upgrader.upgrade(plain, "localhost", target.port)) {
                TlsHandshakeInfo info = TlsHandshakeInfo.of(tls).orElseThrow();
                rows.add(new String[] {backend.name(), target.label, configName, "ok", info.version().toString(),
                        info.cipherSuite(), null});
            }
        } catch (TlsUpgradeException e) {
            rows.add(new String[] {backend.name(), target.label, configName, e.kind().toString(), "", "",
                    e.getMessage()});
        } catch (IOException e) {
            rows.add(new String[] {backend.name(), target.label, configName, "error", "", "", e.toString()});
        }
    }

    private void print() {
        String[] header = {"backend", "server", "config", "result", "version", "cipher"};
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        printRow(header, width);
        for (String[] r : rows) {
            printRow(r, width);
            if (r[6] != null) {
                out.println("    " + r[6]);
            }
        }
    }

    private void printRow(String[] r, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            sb.append(String.format("%-" + width[i] + "s", r[i]));
            if (i < width.length - 1) {
                sb.append("  ");
            }
        }
        out.println(sb.toString().stripTrailing());
    }
}
