package dev.tlsupgrade.benchmarks;

import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.TestPki;
import java.util.Locale;
import one.profiler.AsyncProfiler;
import one.profiler.Counter;

/**
 * Where the CPU goes on the two paths of one paired workload: both paths in one JVM against one
 * server, a warm-up, then alternating blocks each profiled on its own by async-profiler (CPU samples
 * with Java, native and kernel frames, one a millisecond), summed per path into a
 * {@link CpuBreakdown} and printed as CPU milliseconds per GiB (bulk) or per handshake, on the
 * caller's thread and, for bulk, the server's (its connection threads live one handshake each in
 * the handshake workloads, too briefly for the profiler's per-thread counters to see them whole).
 * RESULTS.md's breakdowns come from here.
 *
 * <pre>ProfileWorkload BACKEND VERSION WORKLOAD PAIRS</pre>
 */
public final class ProfileWorkload {
    private static final long BLOCK_NANOS = 1_000_000_000L;
    private static final String START = "start,event=cpu,interval=1ms,threads";

    private ProfileWorkload() {
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.LogManager.getLogManager().reset();
        String backend = args[0];
        TlsVersion version = TlsVersion.fromJsseName(args[1]).orElseThrow();
        Workload workload = Workload.valueOf(args[2]);
        int pairs = Integer.parseInt(args[3]);
        System.out.println(run(backend, version, workload, pairs));
    }

    /** The breakdown table of {@code workload} on {@code backend}, from {@code pairs} profiled pairs of 1 s blocks. */
    static String run(String backend, TlsVersion version, Workload workload, int pairs) throws Exception {
        AsyncProfiler profiler = AsyncProfiler.getInstance();
        // Profiling from before the providers' native libraries load: they are extracted to temporary files and
        // deleted once loaded, and only a running profiler reads their symbols as they load.
        profiler.execute(START);
        String suffix = workload.engine() ? "-engine" : "";
        try (BenchServer server = workload.server(backend, version, TestPki.get().benchmark(false));
                Client up = Client.create(backend, "tlsupgrade" + suffix, version);
                Client raw = Client.create(backend, "raw" + suffix, version);
                Workload.Side a = workload.side(up, server.port(), version);
                Workload.Side b = workload.anchor(raw, server.port(), version)) {
            for (int i = 0; i < 3; i++) {
                a.rate(BLOCK_NANOS);
                b.rate(BLOCK_NANOS);
            }
            profiler.execute("stop");
            CpuBreakdown ca = new CpuBreakdown();
            CpuBreakdown cb = new CpuBreakdown();
            double unitsA = 0;
            double unitsB = 0;
            for (int i = 0; i < pairs; i++) {
                unitsA += profiled(profiler, a, ca);
                unitsB += profiled(profiler, b, cb);
            }
            boolean bulk = workload.bulk();
            double scale = bulk ? 1.0 / 1024 : 1; // MiB -> GiB; handshakes stay handshakes
            String unit = bulk ? "GiB" : workload.unit.replace("/s", "").replaceAll("s$", "");
            return String.format(Locale.ROOT, "%s %s, %s: tlsupgrade %.0f %s, %s %.0f %s (profiled blocks)%n%n", backend,
                    version.jsseName(), workload.title, unitsA / pairs, workload.unit, anchorName(workload), unitsB / pairs,
                    workload.unit) + CpuBreakdown.table("tlsupgrade", ca, unitsA * scale, anchorName(workload), cb,
                    unitsB * scale, unit, bulk);
        }
    }

    static String anchorName(Workload workload) {
        return workload.netty() ? "Netty" : workload == Workload.PLAIN_BULK ? "plain TCP" : "raw";
    }

    /** One profiled block of {@code side}, its samples added to {@code into}; what it did (rate x 1 s). */
    private static double profiled(AsyncProfiler profiler, Workload.Side side, CpuBreakdown into) throws Exception {
        profiler.execute(START);
        double rate;
        try {
            rate = side.rate(BLOCK_NANOS);
        } finally {
            profiler.execute("stop");
        }
        into.add(profiler.dumpCollapsed(Counter.SAMPLES));
        return rate * BLOCK_NANOS / 1e9;
    }
}
