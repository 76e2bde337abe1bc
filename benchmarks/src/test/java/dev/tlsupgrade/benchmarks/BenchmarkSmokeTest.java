package dev.tlsupgrade.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** CI runs each benchmark once, tiny, in this JVM: they compile, run, and the report is written. */
@Timeout(180)
class BenchmarkSmokeTest {
    @Test
    void everyBenchmarkRunsAndTheReportHasRatios() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(TlsBenchmarks.class.getName())
                .param("backend", "openssl")
                .param("version", "TLSv1.3")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(200))
                .build()).run();
        assertThat(results).hasSize(6);
        assertThat(results).allMatch(r -> r.getPrimaryResult().getScore() > 0);
        String report = RunBenchmarks.report(results, 4000);
        assertThat(report).contains("## fullHandshake (handshakes/s)", "## bulkWrite16KiB (MiB/s)",
                "## roundTrip64B (round trips/s)", "| openssl | TLSv1.3 |", "of one core's AES-128-GCM ceiling");
    }
}
