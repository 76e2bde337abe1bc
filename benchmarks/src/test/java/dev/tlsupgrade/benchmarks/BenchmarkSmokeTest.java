package dev.tlsupgrade.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * CI runs each benchmark once, tiny, in this JVM, and one small footprint measurement in a child
 * JVM: they compile, run (resumption really resumes, the pinned suite is the one negotiated), and
 * the report is written.
 */
@Timeout(300)
class BenchmarkSmokeTest {
    @Test
    void everyBenchmarkRunsAndTheReportHasRatios() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(Handshakes.class.getName()).include(Resumption.class.getName())
                .include(Bulk.class.getName()).include(RoundTrip.class.getName())
                .param("backend", "openssl")
                .param("version", "TLSv1.3")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(200))
                .build()).run();
        // fullHandshake, resumedHandshake, two bulk suites and roundTrip64B, each through tlsupgrade and raw
        assertThat(results).hasSize(10);
        assertThat(results).allMatch(r -> r.getPrimaryResult().getScore() > 0);
        String report = new Report("heading").jmh(results, Map.of("openssl TLSv1.3", "TLS_AES_128_GCM_SHA256"))
                .footprint(List.of(new Report.FootprintRow("openssl", "TLSv1.3", "tlsupgrade", 1, 2, 3, 4 << 20)), 1000)
                .ceiling(4000).toString();
        assertThat(report).contains("## fullHandshake (handshakes/s)", "## resumedHandshake (handshakes/s)",
                "## bulkWrite16KiB, AES-128-GCM (MiB/s)", "## bulkWrite16KiB, default suite (MiB/s)",
                "## roundTrip64B (round trips/s)", "| openssl | TLSv1.3 |", "| openssl | TLSv1.3 | TLS_AES_128_GCM_SHA256 |",
                "| openssl | TLSv1.3 | 1 / - | 2 / - | 3 / - | 4 / - |", "of one core's AES-128-GCM ceiling");
    }

    @Test
    void aFootprintMeasurementRunsInItsOwnJvm() throws Exception {
        try (BenchServer server = BenchServer.start("conscrypt", dev.tlsupgrade.TlsVersion.TLS_1_3,
                Connections.aes128Gcm(dev.tlsupgrade.TlsVersion.TLS_1_3), BenchServer.Mode.ECHO)) {
            String out = RunBenchmarks.child(Footprint.class, "conscrypt", "TLSv1.3", "tlsupgrade", String.valueOf(server.port()), "50",
                    dev.tlsupgrade.testing.TestPki.get().caPem().toString());
            assertThat(out).containsPattern("heapPerConnection=\\d+ rssPerConnection=-?\\d+ upgradeMillis=\\d+ peakRssGrowth=-?\\d+");
        }
    }
}
