package dev.tlsupgrade.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.TestPki;
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
                .footprint(List.of(new Report.FootprintRow("openssl", "TLSv1.3", "tlsupgrade", 1, 2, 3, 4, null)), 1000)
                .ceiling(4000).toString();
        assertThat(report).contains("## fullHandshake (handshakes/s)", "## resumedHandshake (handshakes/s)",
                "## bulkWrite16KiB, AES-128-GCM (MiB/s)", "## bulkWrite16KiB, default suite (MiB/s)",
                "## roundTrip64B (round trips/s)", "| openssl | TLSv1.3 |", "| openssl | TLSv1.3 | TLS_AES_128_GCM_SHA256 |",
                "| openssl | TLSv1.3 | 1 / - | 2 / - | 3 / - | 4 / - |", "of one core's AES-128-GCM ceiling");
    }

    /** CI's short run of the paired comparison: every workload once, resumption checked, the report's tables. */
    @Test
    void thePairedComparisonRunsAndReportsAnIntervalForEveryRow() throws Exception {
        InterleavedComparison.Settings smoke = InterleavedComparison.Settings.smoke();
        List<InterleavedComparison.Result> results = InterleavedComparison.run(smoke, System.err);
        assertThat(results).extracting(InterleavedComparison.Result::workload).containsExactly(Workload.values());
        assertThat(results).allSatisfy(r -> {
            assertThat(r.tlsupgrade()).isPositive();
            assertThat(r.raw()).isPositive();
            assertThat(r.ratio().low()).isLessThanOrEqualTo(r.ratio().median());
            assertThat(r.ratio().median()).isLessThanOrEqualTo(r.ratio().high());
        });
        String report = InterleavedComparison.markdown(smoke, results, 0);
        assertThat(report).contains("## full handshakes (handshakes/s)", "## resumed handshakes (handshakes/s)",
                "## bulk 16 KiB writes, AES-128-GCM (MiB/s)", "## 64-byte round trips (round trips/s)",
                "| openssl | TLSv1.3 | RSA-2048 |", "tlsupgrade / raw [95%]", "## Within 3% of the provider?",
                "hands out the provider's own streams, the same classes as the raw path's");
    }

    /**
     * What RESULTS.md says of every row: both paths negotiate the same suite, the one the server
     * allows. Left to choose, the JDK's server gave the bctls anchor ChaCha20 and tlsupgrade's path
     * AES-GCM; a side refuses to run on another suite.
     */
    @Test
    void bothPathsOfAHandshakeRowNegotiateTheServersSuite() throws Exception {
        TlsVersion v = TlsVersion.TLS_1_2;
        try (BenchServer server = Workload.FULL_HANDSHAKE.server("bctls", v, TestPki.get().benchmark(false));
                Client up = Client.create("bctls", "tlsupgrade", v);
                Client raw = Client.create("bctls", "raw", v);
                Workload.Side upSide = Workload.FULL_HANDSHAKE.side(up, server.port(), v);
                Workload.Side rawSide = Workload.FULL_HANDSHAKE.side(raw, server.port(), v)) {
            assertThat(upSide.rate(10_000_000L)).isPositive();
            assertThat(rawSide.rate(10_000_000L)).isPositive();
        }
    }

    /**
     * What RESULTS.md says of bulk and round trips on jsse, conscrypt and openssl: after the
     * handshake the socket tlsupgrade returns hands out the provider's own streams, so no tlsupgrade
     * code runs per read or write; for bctls both paths read and write Bouncy Castle's protocol streams.
     */
    @Test
    void afterTheHandshakeTheStreamsAreTheProvidersOwn() throws Exception {
        TlsVersion v = TlsVersion.TLS_1_3;
        for (String backend : List.of("jsse", "conscrypt", "openssl", "bctls")) {
            try (BenchServer server = Workload.ROUND_TRIP.server(backend, v, TestPki.get().benchmark(false));
                    Client up = Client.create(backend, "tlsupgrade", v);
                    Client raw = Client.create(backend, "raw", v);
                    Workload.Side upSide = Workload.ROUND_TRIP.side(up, server.port(), v);
                    Workload.Side rawSide = Workload.ROUND_TRIP.side(raw, server.port(), v)) {
                assertThat(upSide.rate(10_000_000L)).isPositive();
                assertThat(upSide.streams()).as(backend).isEqualTo(rawSide.streams());
            }
        }
    }

    @Test
    void pairStatisticsGiveTheMedianRatioAndAnIntervalAroundIt() {
        PairStatistics constant = PairStatistics.of(new double[] {1.0, 1.0, 1.0, 1.0});
        assertThat(constant.median()).isEqualTo(1.0);
        assertThat(constant.low()).isEqualTo(1.0);
        assertThat(constant.high()).isEqualTo(1.0);
        assertThat(constant.within(0.97, 1.03)).isTrue();
        double[] ratios = new double[31];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = 0.90 + i * 0.01; // 0.90 .. 1.20, median 1.05
        }
        PairStatistics spread = PairStatistics.of(ratios);
        assertThat(spread.median()).isCloseTo(1.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(spread.low()).isBetween(0.98, 1.05);
        assertThat(spread.high()).isBetween(1.05, 1.12);
        assertThat(spread.within(0.97, 1.03)).isFalse();
        assertThat(spread.overlaps(0.97, 1.03)).isTrue();
    }

    @Test
    void aFootprintMeasurementRunsInItsOwnJvm() throws Exception {
        try (BenchServer server = BenchServer.start("conscrypt", dev.tlsupgrade.TlsVersion.TLS_1_3,
                Connections.aes128Gcm(dev.tlsupgrade.TlsVersion.TLS_1_3), BenchServer.Mode.ECHO)) {
            String out = RunBenchmarks.child(Footprint.class, 50, "conscrypt", "TLSv1.3", "tlsupgrade", String.valueOf(server.port()),
                    "50", dev.tlsupgrade.testing.TestPki.get().caPem().toString());
            assertThat(out).containsPattern("heapPerConnection=\\d+ rssPerConnection=-?\\d+ upgradeMillis=\\d+ threadGrowth=-?\\d+");
        }
    }

    /**
     * The cost curve's short form: every concurrency level runs on both paths with latencies, and an
     * upgraded connection held open adds no thread (the watchdog is one thread for the JVM, started
     * before the measured batch); the idle table is written.
     */
    @Test
    void theCostCurveRunsEveryLevelAndIdleConnectionsAddNoThread() throws Exception {
        String md = CostCurve.markdown(List.of("openssl"), 1, 200, List.of(), System.err);
        assertThat(md).contains("## The cost curve: concurrent full handshakes (TLS 1.3, RSA-2048)", "| openssl | 1 |",
                "| openssl | 16 |", "| openssl | 64 |", "| openssl | 256 |");
        List<Report.FootprintRow> rows = new java.util.ArrayList<>();
        for (String backend : List.of("jsse", "openssl", "conscrypt", "bctls")) {
            Report.FootprintRow up = RunBenchmarks.footprint(backend, TlsVersion.TLS_1_3, "tlsupgrade", 50);
            assertThat(up.notRun()).as(backend).isNull();
            assertThat(up.threadGrowth()).as(backend).isZero();
            assertThat(up.heapPerConnection()).as(backend).isPositive();
            rows.add(up);
            rows.add(new Report.FootprintRow(backend, "TLSv1.3", "raw", up.heapPerConnection(), up.rssPerConnection(), 0, 0, null));
        }
        assertThat(CostCurve.idleTable(rows, 50)).contains("## The cost curve: 50 idle connections (TLS 1.3)",
                "| conscrypt | ", "| yes | ", "| 0 / 0 |");
    }
}
