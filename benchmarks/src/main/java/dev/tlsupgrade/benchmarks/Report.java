package dev.tlsupgrade.benchmarks;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * JMH-RESULTS.md from one run: a table per measurement, rows backend x version, columns tlsupgrade,
 * raw provider, their ratio with the run's noise on it, and the ratio to jsse. The noise column adds
 * the two scores' relative standard deviations over their measured iterations: a ratio closer to 1
 * than that is a tie.
 */
final class Report {
    /**
     * One footprint row: a backend, version and path measured by {@link Footprint}, or, where
     * {@code notRun} is not null, why it could not be measured on this machine.
     */
    record FootprintRow(String backend, String version, String path, long heapPerConnection, long rssPerConnection,
            long upgradeMillis, long threadGrowth, String notRun) {
        static FootprintRow notRun(String backend, String version, String path, String why) {
            return new FootprintRow(backend, version, path, 0, 0, 0, 0, why);
        }
    }

    private final StringBuilder sb = new StringBuilder();
    private double bestBulk;

    Report(String heading) {
        sb.append("# tlsupgrade benchmarks\n\n").append(heading).append("\n\n");
    }

    /** The JMH tables: one per benchmark method, and per suite for bulk; {@code suites} names the default suites. */
    Report jmh(Collection<RunResult> results, Map<String, String> defaultSuites) {
        // table title -> "backend version" -> path -> result
        Map<String, Map<String, Map<String, Result<?>>>> tables = new LinkedHashMap<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            String suite = r.getParams().getParam("suite");
            String title = method + (suite == null ? "" : suite.equals("default") ? ", default suite" : ", AES-128-GCM")
                    + " (" + unit(method) + ")";
            String row = r.getParams().getParam("backend") + " " + r.getParams().getParam("version");
            tables.computeIfAbsent(title, k -> new TreeMap<>()).computeIfAbsent(row, k -> new LinkedHashMap<>())
                    .put(r.getParams().getParam("path"), r.getPrimaryResult());
        }
        for (Map.Entry<String, Map<String, Map<String, Result<?>>>> table : tables.entrySet()) {
            boolean bulk = table.getKey().startsWith("bulk");
            boolean withSuite = table.getKey().contains("default suite");
            sb.append("## ").append(table.getKey()).append("\n\n| backend | version |")
                    .append(withSuite ? " suite negotiated |" : "")
                    .append(" tlsupgrade | raw provider | tlsupgrade / raw | noise | vs jsse (tlsupgrade) |\n|---|---|")
                    .append(withSuite ? "---|" : "").append("---|---|---|---|---|\n");
            for (Map.Entry<String, Map<String, Result<?>>> row : table.getValue().entrySet()) {
                String[] bv = row.getKey().split(" ");
                Result<?> lib = row.getValue().get("tlsupgrade");
                Result<?> raw = row.getValue().get("raw");
                Map<String, Result<?>> jsse = table.getValue().get("jsse " + bv[1]);
                double libScore = scale(score(lib), bulk);
                if (bulk && libScore > bestBulk) {
                    bestBulk = libScore;
                }
                sb.append("| ").append(bv[0]).append(" | ").append(bv[1]).append(" | ");
                if (withSuite) {
                    sb.append(defaultSuites.getOrDefault(row.getKey(), "?")).append(" | ");
                }
                sb.append(fmt(libScore)).append(" | ").append(fmt(scale(score(raw), bulk))).append(" | ")
                        .append(ratio(score(lib), score(raw))).append(" | ").append(noise(lib, raw)).append(" | ")
                        .append(ratio(score(lib), jsse == null ? Double.NaN : score(jsse.get("tlsupgrade")))).append(" |\n");
            }
            sb.append('\n');
        }
        return this;
    }

    /** The memory and concurrency table from {@link Footprint} runs. */
    Report footprint(List<FootprintRow> rows, int count) {
        sb.append("## idle connections: memory per connection and upgrading ").append(count).append(" at once\n\n")
                .append("Time: ").append(count).append(" upgrades by ").append(Footprint.THREADS)
                .append(" threads at once, in a JVM of its own. Heap and resident per connection: growth over a second")
                .append(" batch as large, after a full GC (the first also pays for JIT code); resident memory is where the")
                .append(" native memory of conscrypt and openssl shows (the heap is pre-touched). Threads: how many more")
                .append(" the process has with the second batch open.\n\n")
                .append("| backend | version | heap B/conn (tlsupgrade / raw) | resident B/conn (tlsupgrade / raw) | time ms (tlsupgrade / raw) | threads (tlsupgrade / raw) |\n")
                .append("|---|---|---|---|---|---|\n");
        Map<String, Map<String, FootprintRow>> byRow = new TreeMap<>();
        for (FootprintRow r : rows) {
            byRow.computeIfAbsent(r.backend() + " " + r.version(), k -> new LinkedHashMap<>()).put(r.path(), r);
        }
        for (Map.Entry<String, Map<String, FootprintRow>> e : byRow.entrySet()) {
            FootprintRow lib = e.getValue().get("tlsupgrade");
            FootprintRow raw = e.getValue().get("raw");
            String[] bv = e.getKey().split(" ");
            sb.append("| ").append(bv[0]).append(" | ").append(bv[1]).append(" | ")
                    .append(pair(lib, raw, FootprintRow::heapPerConnection)).append(" | ")
                    .append(pair(lib, raw, FootprintRow::rssPerConnection)).append(" | ")
                    .append(pair(lib, raw, FootprintRow::upgradeMillis)).append(" | ")
                    .append(pair(lib, raw, FootprintRow::threadGrowth)).append(" |\n");
        }
        sb.append('\n');
        return this;
    }

    /** The best bulk rate through tlsupgrade as a fraction of one core's AES-128-GCM speed. */
    Report ceiling(double ceilingMiBs) {
        if (ceilingMiBs > 0 && bestBulk > 0) {
            sb.append("Best bulk throughput through tlsupgrade: ").append(fmt(bestBulk)).append(" MiB/s, ")
                    .append(String.format(Locale.ROOT, "%.2f", bestBulk / ceilingMiBs))
                    .append(" of one core's AES-128-GCM ceiling (`openssl speed -evp aes-128-gcm`, 16 KiB: ")
                    .append(fmt(ceilingMiBs)).append(" MiB/s).\n\n");
        }
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    private static String unit(String method) {
        return method.startsWith("bulk") ? "MiB/s" : method.endsWith("Handshake") ? "handshakes/s" : "round trips/s";
    }

    private static double score(Result<?> r) {
        return r == null ? Double.NaN : r.getScore();
    }

    private static double scale(double score, boolean bulk) {
        return bulk ? score * Bulk.CHUNK / (1024.0 * 1024.0) : score;
    }

    private static String noise(Result<?> a, Result<?> b) {
        if (a == null || b == null || a.getStatistics().getN() < 2 || b.getStatistics().getN() < 2) {
            return "-";
        }
        double spread = a.getStatistics().getStandardDeviation() / a.getScore()
                + b.getStatistics().getStandardDeviation() / b.getScore();
        return String.format(Locale.ROOT, "±%.0f%%", 100 * spread);
    }

    /** "tlsupgrade / raw" of one footprint value; "-" where a path was not measured. Growth may be negative. */
    private static String pair(FootprintRow lib, FootprintRow raw, ToLongFunction<FootprintRow> value) {
        return (lib == null || lib.notRun() != null ? "-" : String.valueOf(value.applyAsLong(lib))) + " / "
                + (raw == null || raw.notRun() != null ? "-" : String.valueOf(value.applyAsLong(raw)));
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
    }
}
