package dev.tlsupgrade.benchmarks;

import dev.tlsupgrade.TlsVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;

/**
 * How the cost grows with the work: full TLS 1.3 handshakes by 1, 16, 64 and 256 threads at once
 * (handshakes per second and the latency of one, p50 and p99), and idle upgraded connections held
 * open by the thousand (heap, resident memory and threads per connection, from {@link Footprint} in
 * a JVM of its own), for every backend, tlsupgrade next to the provider used directly.
 *
 * <p>Concurrency rows alternate the two paths in blocks, as the paired runner does: each block
 * starts its threads, each thread repeats connect, handshake under a fresh name, one echoed byte,
 * close until the block's time is up; the rate counts handshakes finished over the block's real
 * length, and every handshake's time goes into the path's latency distribution.
 *
 * <pre>CostCurve [--smoke] [--backends a,b] [--pairs N] [--block MILLIS] [--idle N,N] OUTPUT.md</pre>
 */
public final class CostCurve {
    static final List<Integer> CONCURRENCY = List.of(1, 16, 64, 256);
    static final List<Integer> IDLE = List.of(1_000, 10_000);
    static final TlsVersion VERSION = TlsVersion.TLS_1_3;
    static final int PAIRS = 3;
    static final long BLOCK_MILLIS = 2000;
    static final int IDLE_RUNS = 3;

    /** One concurrency row: both paths at one level. */
    record Concurrent(String backend, int threads, PairStatistics ratio, double tlsupgrade, double raw, Latency upLatency,
            Latency rawLatency) {
    }

    /** Median and 99th percentile of one path's handshake times, in milliseconds. */
    record Latency(double p50, double p99) {
        static Latency of(List<Long> nanos) {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Latency(sorted[(int) (0.50 * (sorted.length - 1))] / 1e6, sorted[(int) (0.99 * (sorted.length - 1))] / 1e6);
        }
    }

    private CostCurve() {
    }

    public static void main(String[] args) throws Exception {
        List<String> backends = InterleavedComparison.BACKENDS;
        List<Integer> idle = IDLE;
        int pairs = PAIRS;
        long block = BLOCK_MILLIS;
        Path output = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> {
                    backends = List.of("openssl");
                    idle = List.of(50);
                    pairs = 1;
                    block = 300;
                }
                case "--backends" -> backends = List.of(args[++i].split(","));
                case "--pairs" -> pairs = Integer.parseInt(args[++i]);
                case "--block" -> block = Long.parseLong(args[++i]);
                case "--idle" -> idle = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                default -> output = Path.of(args[i]);
            }
        }
        if (output == null) {
            System.err.println("usage: CostCurve [--smoke] [--backends a,b] [--pairs N] [--block MILLIS] [--idle N,N] OUTPUT.md");
            System.exit(2);
        }
        java.util.logging.LogManager.getLogManager().reset();
        Files.writeString(output, markdown(backends, pairs, block, idle, System.err), StandardCharsets.UTF_8);
        System.err.println("wrote " + output);
    }

    /** The cost-curve section of RESULTS.md: the concurrency table and one idle table per count. */
    static String markdown(List<String> backends, int pairs, long blockMillis, List<Integer> idle, PrintStream progress)
            throws Exception {
        List<Concurrent> rows = new ArrayList<>();
        for (String backend : backends) {
            for (int threads : CONCURRENCY) {
                rows.add(concurrent(backend, threads, pairs, blockMillis, progress));
            }
        }
        StringBuilder sb = new StringBuilder(concurrencyTable(rows, pairs, blockMillis));
        for (int count : idle) {
            List<Report.FootprintRow> footprints = new ArrayList<>();
            for (String backend : backends) {
                for (String path : RunBenchmarks.PATHS) {
                    footprints.add(idle(backend, path, count, progress));
                }
            }
            sb.append(idleTable(footprints, count));
        }
        return sb.toString();
    }

    /**
     * {@code count} idle connections of one backend and path, measured {@value #IDLE_RUNS} times (each
     * in a new JVM): the medians of heap and native growth, the most threads added. Resident memory
     * moves by whole allocator chunks, so one run of it is noise (the same row measured 4.2 and 9.2 KB).
     */
    static Report.FootprintRow idle(String backend, String path, int count, PrintStream progress) throws Exception {
        double[] heap = new double[IDLE_RUNS];
        double[] rss = new double[IDLE_RUNS];
        long threads = 0;
        Report.FootprintRow r = null;
        for (int i = 0; i < IDLE_RUNS; i++) {
            r = RunBenchmarks.footprint(backend, VERSION, path, count);
            progress.printf(Locale.ROOT, "%-9s %-10s %6d idle: %s%n", backend, path, count, r.notRun() != null
                    ? "not run: " + r.notRun() : String.format(Locale.ROOT, "heap %d B, native %d B, threads %+d",
                            r.heapPerConnection(), r.rssPerConnection(), r.threadGrowth()));
            if (r.notRun() != null) {
                return r;
            }
            heap[i] = r.heapPerConnection();
            rss[i] = r.rssPerConnection();
            threads = Math.max(threads, r.threadGrowth());
        }
        return new Report.FootprintRow(backend, r.version(), path, (long) PairStatistics.median(heap),
                (long) PairStatistics.median(rss), r.upgradeMillis(), threads, null);
    }

    /** Both paths of one backend at {@code threads} concurrent handshakes, in alternating blocks. */
    static Concurrent concurrent(String backend, int threads, int pairs, long blockMillis, PrintStream progress)
            throws Exception {
        try (BenchServer server = BenchServer.start(backend, VERSION, Connections.aes128Gcm(VERSION), BenchServer.Mode.ECHO);
                Client up = Client.create(backend, "tlsupgrade", VERSION);
                Client raw = Client.create(backend, "raw", VERSION)) {
            long blockNanos = blockMillis * 1_000_000;
            List<Long> upTimes = new ArrayList<>();
            List<Long> rawTimes = new ArrayList<>();
            block(up, server.port(), threads, blockNanos, new ArrayList<>()); // warm-up
            block(raw, server.port(), threads, blockNanos, new ArrayList<>());
            double[] a = new double[pairs];
            double[] b = new double[pairs];
            double[] ratios = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                if (i % 2 == 0) {
                    a[i] = block(up, server.port(), threads, blockNanos, upTimes);
                    b[i] = block(raw, server.port(), threads, blockNanos, rawTimes);
                } else {
                    b[i] = block(raw, server.port(), threads, blockNanos, rawTimes);
                    a[i] = block(up, server.port(), threads, blockNanos, upTimes);
                }
                ratios[i] = a[i] / b[i];
            }
            Concurrent row = new Concurrent(backend, threads, PairStatistics.of(ratios), PairStatistics.median(a),
                    PairStatistics.median(b), Latency.of(upTimes), Latency.of(rawTimes));
            progress.printf(Locale.ROOT, "%-9s %3d at once: %7.1f / %7.1f handshakes/s  %s  p99 %.1f / %.1f ms%n", backend,
                    threads, row.tlsupgrade(), row.raw(), row.ratio(), row.upLatency().p99(), row.rawLatency().p99());
            return row;
        }
    }

    /**
     * {@code threads} threads doing handshakes until {@code blockNanos} have passed; handshakes a
     * second over the block's real length (the last ones end after the deadline), each one's time
     * added to {@code times}.
     */
    static double block(Client client, int port, int threads, long blockNanos, List<Long> times) throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<long[]> perThread = new ArrayList<>();
        List<Thread> running = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + blockNanos;
        for (int t = 0; t < threads; t++) {
            long[] mine = new long[1 << 16];
            perThread.add(mine);
            Thread thread = new Thread(() -> {
                int n = 0;
                try {
                    do {
                        long t0 = System.nanoTime();
                        try (SSLSocket s = client.connect(port, Workload.freshName())) {
                            Client.exchangeByte(s);
                        }
                        mine[++n] = System.nanoTime() - t0;
                    } while (System.nanoTime() < end && n < mine.length - 1);
                } catch (IOException | RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
                mine[0] = n;
            }, "cost-curve-" + t);
            running.add(thread);
            thread.start();
        }
        for (Thread thread : running) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new IOException(threads + " concurrent handshakes failed: " + failure.get(), failure.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long done = 0;
        for (long[] mine : perThread) {
            for (int i = 1; i <= mine[0]; i++) {
                times.add(mine[i]);
            }
            done += mine[0];
        }
        return done / seconds;
    }

    static String concurrencyTable(List<Concurrent> rows, int pairs, long blockMillis) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "## The cost curve: concurrent full handshakes (TLS 1.3, "
                + "RSA-2048)%n%nThreads at once, each repeating connect, full handshake under a fresh name, one echoed byte, "
                + "close; both paths in alternating %d ms blocks, %d pairs a row after a warm-up block each; rates are "
                + "medians, latencies are over every handshake of the path's blocks.%n%n"
                + "| backend | at once | tlsupgrade handshakes/s | raw handshakes/s | tlsupgrade / raw [95%%] "
                + "| p50 ms (tlsupgrade / raw) | p99 ms (tlsupgrade / raw) |%n|---|---|---|---|---|---|---|%n", blockMillis, pairs));
        for (Concurrent r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %s | %.1f / %.1f | %.1f / %.1f |%n", r.backend(),
                    r.threads(), r.tlsupgrade(), r.raw(), r.ratio(), r.upLatency().p50(), r.rawLatency().p50(),
                    r.upLatency().p99(), r.rawLatency().p99()));
        }
        return sb.append('\n').toString();
    }

    static String idleTable(List<Report.FootprintRow> rows, int count) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "## The cost curve: %,d idle connections (TLS 1.3)%n%n"
                + "Held open in a JVM of its own per row (see `Footprint`; the server is another JVM): growth per connection "
                + "over the %,d connections after a full GC, the median of " + IDLE_RUNS + " runs: heap, native (the growth of resident memory; the heap is "
                + "pre-touched, so this is memory outside it: the native memory of conscrypt and openssl), their sum, and the "
                + "most Java threads the process added with them open. Targets: heap within raw + 2 KiB, heap + native within raw + 5%%, "
                + "no thread per connection.%n%n| backend | heap B (tlsupgrade / raw) | within raw + 2 KiB | native B "
                + "(tlsupgrade / raw) | heap + native B (tlsupgrade / raw) | within raw + 5%% | threads added (tlsupgrade / raw) "
                + "|%n|---|---|---|---|---|---|---|%n", count, count));
        for (Report.FootprintRow up : rows) {
            if (!up.path().equals("tlsupgrade")) {
                continue;
            }
            if (up.notRun() != null) {
                sb.append("| ").append(up.backend()).append(" | not run: ").append(up.notRun()).append(" | | | | | |\n");
                continue;
            }
            rows.stream().filter(r -> r.path().equals("raw") && r.backend().equals(up.backend()) && r.notRun() == null)
                    .findFirst().ifPresent(raw -> {
                        long upTotal = up.heapPerConnection() + up.rssPerConnection();
                        long rawTotal = raw.heapPerConnection() + raw.rssPerConnection();
                        sb.append(String.format(Locale.ROOT, "| %s | %d / %d | %s | %d / %d | %d / %d | %s | %d / %d |%n",
                                up.backend(), up.heapPerConnection(), raw.heapPerConnection(),
                                up.heapPerConnection() <= raw.heapPerConnection() + 2048 ? "yes" : "no",
                                up.rssPerConnection(), raw.rssPerConnection(), upTotal, rawTotal,
                                upTotal <= rawTotal * 1.05 ? "yes" : "no", up.threadGrowth(), raw.threadGrowth()));
                    });
        }
        return sb.append('\n').toString();
    }
}
