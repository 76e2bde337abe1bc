package dev.tlsupgrade.openssl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.testing.JsseTestServer;
import dev.tlsupgrade.testing.Loopback;
import dev.tlsupgrade.testing.TestPki;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connection pools keep many upgraded connections idle: between calls the engine socket gives its
 * record and plaintext buffers back, so an idle connection does not hold ~100 KiB of them.
 */
@Timeout(120)
class OpenSslIdleConnectionTest {
    private static final int CONNECTIONS = 300;

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void idleConnectionsHoldLittleHeap() throws Exception {
        List<SSLSocket> open = new ArrayList<>();
        try (JsseTestServer server = JsseTestServer.builder().unrecorded().start();
                TlsUpgrader upgrader = TlsBackends.get("openssl").newUpgrader(TlsClientConfig.builder()
                        .trustedCertificates(TestPki.get().caPem()).build())) {
            for (int i = 0; i < 50; i++) {
                exchange(upgrader, server).close();
            }
            long before = usedHeapAfterGc();
            for (int i = 0; i < CONNECTIONS; i++) {
                open.add(exchange(upgrader, server));
            }
            long perConnection = (usedHeapAfterGc() - before) / CONNECTIONS;
            // Client and in-process JDK server together: ~58 KiB measured, of which the client ~5 KiB; it was
            // ~100 KiB more when the buffers stayed with the connection.
            assertThat(perConnection).as("heap per idle connection, both ends").isLessThan(96 * 1024);
            for (SSLSocket s : open) {
                s.getOutputStream().write('x');
                assertThat(s.getInputStream().read()).as("an idle connection still works").isEqualTo('x');
            }
        } finally {
            for (SSLSocket s : open) {
                s.close();
            }
        }
    }

    private static SSLSocket exchange(TlsUpgrader upgrader, JsseTestServer server) throws Exception {
        SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost", server.port());
        tls.getOutputStream().write('x');
        assertThat(tls.getInputStream().read()).isEqualTo('x');
        return tls;
    }
}
