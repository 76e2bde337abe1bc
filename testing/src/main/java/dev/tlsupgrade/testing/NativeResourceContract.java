package dev.tlsupgrade.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * For backends holding native memory (BoringSSL through Conscrypt or tcnative): 10,000 failed and
 * 10,000 upgraded-and-closed connections (a warm-up and two measured batches each), and thousands of
 * timed-out ones, must not grow the process: resident memory within {@value #BYTES_PER_UPGRADE}
 * bytes a round (native leaks), the live Java heap within {@value #HEAP_BYTES_PER_ROUND} bytes a
 * round (a 2 KiB-per-connection leak breaks it), descriptors within {@value #DESCRIPTOR_SLACK}.
 * Resident memory is read from {@code /proc/self/status}; the module runs with a fixed, pre-touched
 * heap so that the Java heap cannot account for the growth.
 */
@org.junit.jupiter.api.extension.ExtendWith(JvmStateGuard.class)
@Timeout(300)
public abstract class NativeResourceContract {
    /**
     * Allowed growth per upgrade. A leaked BoringSSL connection measured 25-30 KiB here (Conscrypt and
     * tcnative alike). Without a leak, resident memory still wanders: 9,000 failed Conscrypt upgrades
     * next to a busy core moved it between +22 and +56 MiB with no trend (up to ~10 KiB a round over
     * one 3,000-round batch), so the bound sits between that noise and a leak.
     */
    private static final long BYTES_PER_UPGRADE = 16 * 1024;

    /** Allowed growth of the live Java heap per round: a leak of 2 KiB a connection exceeds it fourfold. */
    private static final long HEAP_BYTES_PER_ROUND = 512;

    /** The live Java heap, read after collections (residentBytes() has just run them, or runs them here). */
    private static long heapBytes() {
        System.gc();
        System.gc();
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Descriptors a batch may leave open: server-side sockets of the last connections still closing. */
    private static final int DESCRIPTOR_SLACK = 16;

    protected abstract String backendName();

    private TlsUpgrader upgrader(Duration timeout) {
        return TlsBackends.get(backendName()).newUpgrader(TlsClientConfig.builder()
                .trustedCertificates(TestPki.get().caPem()).handshakeTimeout(timeout).build());
    }

    private static long residentBytes() throws IOException {
        // Conscrypt frees some native objects from finalizers: let them run before reading.
        System.gc();
        System.runFinalization();
        System.gc();
        try {
            Thread.sleep(200); // cleaners run on their own thread once the collector found their objects
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new AssertionError("no VmRSS in /proc/self/status");
    }

    private interface Round {
        void run() throws Exception;
    }

    /**
     * Runs {@code warmup} rounds, then two batches of {@code rounds}, and asserts that one of the two
     * grew the process by less than {@value #BYTES_PER_UPGRADE} bytes a round. A leak grows every
     * batch alike; the allocator's and the JIT compiler's high-water marks (measured: failed Conscrypt
     * upgrades climb by 18-30 MiB over their first ~2,000 rounds, then stay flat) grow only the first.
     */
    private static void assertBounded(String what, int warmup, int rounds, Round round) throws Exception {
        for (int i = 0; i < warmup; i++) {
            round.run();
        }
        long[] growth = new long[2];
        long[] heapGrowth = new long[2];
        long descriptors = openDescriptors();
        for (int batch = 0; batch < 2; batch++) {
            long before = residentBytes();
            long heapBefore = heapBytes();
            long most = 0;
            for (int i = 0; i < rounds; i++) {
                round.run();
                // Counted after every round, not after a GC: a failed or closed upgrade releases its descriptors
                // at once, not when a Cleaner gets to them (collections come thousands of rounds apart here).
                most = Math.max(most, openDescriptors());
            }
            // The in-process servers' side of the last connections may still be closing: a little slack.
            assertThat(most).as(what + ": the most descriptors open during batch " + (batch + 1) + " (now: %s)",
                    descriptorKinds()).isLessThanOrEqualTo(descriptors + DESCRIPTOR_SLACK);
            growth[batch] = residentBytes() - before;
            heapGrowth[batch] = heapBytes() - heapBefore;
        }
        // The Java heap after a collection is a far finer measure than resident memory: a leak of what core or a
        // backend keeps per connection in Java objects shows at a few hundred bytes a round.
        long leastHeap = Math.min(heapGrowth[0], heapGrowth[1]);
        assertThat(leastHeap).as(what + ": the live heap grew by " + heapGrowth[0] / 1024 + " KiB and then "
                + heapGrowth[1] / 1024 + " KiB over two batches of " + rounds).isLessThan(rounds * HEAP_BYTES_PER_ROUND);
        long least = Math.min(growth[0], growth[1]);
        assertThat(least).as(what + ": the process grew by " + growth[0] / 1024 + " KiB and then " + growth[1] / 1024
                + " KiB over two batches of " + rounds + " upgrades").isLessThan(rounds * BYTES_PER_UPGRADE);
    }

    private static long openDescriptors() throws IOException {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** What the open descriptors are, by kind ("pipe", "socket", "anon_inode:[eventpoll]", a file), with counts. */
    private static java.util.Map<String, Long> descriptorKinds() throws IOException {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().replaceAll(":\\[\\d+\\]$", "");
                } catch (IOException gone) {
                    return "closed meanwhile";
                }
            }).collect(java.util.stream.Collectors.groupingBy(k -> k, java.util.TreeMap::new,
                    java.util.stream.Collectors.counting()));
        }
    }

    /**
     * Capability queries and upgraders that are made and closed hold no descriptor once they
     * return: counted without a GC in between, since a program that calls them in a loop may never
     * collect before it runs out of descriptors. Their native memory stays within the per-round bound.
     */
    @Test
    void capabilityQueriesAndClosedUpgradersHoldNoDescriptors() throws Exception {
        dev.tlsupgrade.TlsBackend backend = TlsBackends.get(backendName());
        TlsClientConfig config = TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem()).build();
        for (int i = 0; i < 100; i++) {
            backend.capabilities();
            backend.newUpgrader(config).close();
        }
        long descriptors = openDescriptors();
        for (int i = 0; i < 10_000; i++) {
            assertThat(backend.capabilities().supports(dev.tlsupgrade.TlsVersion.TLS_1_3)).isTrue();
        }
        assertThat(openDescriptors()).as("descriptors after 10,000 capabilities() calls: %s", descriptorKinds())
                .isLessThanOrEqualTo(descriptors + 4);
        for (int i = 0; i < 2_000; i++) {
            backend.newUpgrader(config).close();
        }
        assertThat(openDescriptors()).as("descriptors after 2,000 newUpgrader(...).close(): %s", descriptorKinds())
                .isLessThanOrEqualTo(descriptors + 4);
        assertBounded("upgraders made and closed", 500, 2000, () -> backend.newUpgrader(config).close());
    }

    @Test
    void failedUpgradesReleaseTheirNativeMemory() throws Exception {
        try (RawPeer peer = RawPeer.start(RawPeer.Behaviour.CLOSE_AFTER_HELLO);
                TlsUpgrader upgrader = upgrader(Duration.ofSeconds(10))) {
            assertBounded("failed upgrades", 2000, 4000, () -> assertThatThrownBy(() -> upgrader.upgrade(
                    Loopback.connect(Loopback.v4(), peer.port()), "localhost", peer.port()))
                    .isInstanceOf(TlsUpgradeException.class));
        }
    }

    @Test
    void timedOutUpgradesReleaseTheirNativeMemory() throws Exception {
        try (RawPeer peer = RawPeer.start(RawPeer.Behaviour.SILENT);
                TlsUpgrader upgrader = upgrader(Duration.ofMillis(5))) {
            assertBounded("timed-out upgrades", 500, 1000, () -> assertThatThrownBy(() -> upgrader.upgrade(
                    Loopback.connect(Loopback.v4(), peer.port()), "localhost", peer.port()))
                    .isInstanceOf(TlsUpgradeException.class));
        }
    }

    @Test
    void closedConnectionsReleaseTheirNativeMemory() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().unrecorded().start();
                TlsUpgrader upgrader = upgrader(Duration.ofSeconds(10))) {
            assertBounded("upgraded and closed connections", 2000, 4000, () -> {
                SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost", server.port());
                tls.close();
            });
        }
    }

    /** An engine of the upgrader's context whose ClientHello was wrapped: the provider holds its native state. */
    private static javax.net.ssl.SSLEngine begunEngine(TlsUpgrader upgrader) throws Exception {
        javax.net.ssl.SSLEngine engine = upgrader.sslContext().createSSLEngine("localhost", 443);
        engine.beginHandshake();
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        assertThat(engine.wrap(java.nio.ByteBuffer.allocate(0), out).bytesProduced()).as("the ClientHello").isPositive();
        return engine;
    }

    /**
     * 10,000 engines a client begins and then drops without closing (a warm-up and two batches):
     * the cleaner releases what each provider engine holds, so the process does not grow.
     */
    @Test
    void abandonedEnginesReleaseTheirNativeMemory() throws Exception {
        try (TlsUpgrader upgrader = upgrader(Duration.ofSeconds(10))) {
            assertBounded("abandoned engines", 2000, 4000, () -> begunEngine(upgrader));
        }
    }

    /** Engines closed both ways during their handshake (the client gave up) release at once. */
    @Test
    void enginesClosedDuringTheHandshakeReleaseTheirNativeMemory() throws Exception {
        try (TlsUpgrader upgrader = upgrader(Duration.ofSeconds(10))) {
            java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(32 * 1024);
            assertBounded("engines closed during the handshake", 2000, 4000, () -> {
                javax.net.ssl.SSLEngine engine = begunEngine(upgrader);
                engine.closeOutbound();
                for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                    out.clear();
                    engine.wrap(java.nio.ByteBuffer.allocate(0), out);
                }
                assertThatThrownBy(engine::closeInbound).isInstanceOf(javax.net.ssl.SSLException.class);
                assertThat(engine.isInboundDone() && engine.isOutboundDone()).as("closed both ways").isTrue();
            });
        }
    }
}
