package dev.tlsupgrade.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link TlsBenchmarks} with a short profile (a few minutes on two cores) and writes
 * {@code RESULTS.md}: per measurement, each backend and version through tlsupgrade and raw, their
 * ratio, and the ratio to jsse. Ratios within one run are what to read; absolute numbers on a
 * shared two-core machine are noise.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar [RESULTS.md path]</pre>
 */
public final class RunBenchmarks {
    private RunBenchmarks() {
    }

    public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
        Path out = Path.of(args.length > 0 ? args[0] : "benchmarks/RESULTS.md");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(TlsBenchmarks.class.getName())
                .forks(1)
                .jvmArgs("-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error")
                .warmupIterations(2).warmupTime(TimeValue.seconds(1))
                .measurementIterations(3).measurementTime(TimeValue.seconds(2))
                .timeUnit(TimeUnit.SECONDS);
        Collection<RunResult> results = new Runner(options.build()).run();
        Files.writeString(out, report(results, aesGcmCeilingMiBs()), StandardCharsets.UTF_8);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    static String report(Collection<RunResult> results, double ceilingMiBs) {
        // benchmark -> "backend version" -> path -> score
        Map<String, Map<String, Map<String, Double>>> table = new LinkedHashMap<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            String row = r.getParams().getParam("backend") + " " + r.getParams().getParam("version");
            table.computeIfAbsent(bench, k -> new TreeMap<>()).computeIfAbsent(row, k -> new LinkedHashMap<>())
                    .put(r.getParams().getParam("path"), r.getPrimaryResult().getScore());
        }
        StringBuilder sb = new StringBuilder("# tlsupgrade benchmarks\n\n");
        sb.append("Made by `benchmarks/run.sh` on ").append(LocalDate.now()).append(": ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append(", ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append(". JMH, 1 fork, 2 x 1 s warm-up, 3 x 2 s measured; client and servers in one JVM over loopback;")
                .append(" servers are the JDK's, accepting only AES-128-GCM. Read the ratios; absolute numbers on two")
                .append(" shared cores are noise. \"raw\" is the provider used directly (a layered SSLSocketFactory")
                .append(" socket with its defaults; for openssl, tcnative's engine in core's engine socket without the")
                .append(" upgrader; for bctls, BCJSSE with Bouncy Castle's own crypto, its documented set-up).\n\n");
        double bestBulk = 0;
        for (Map.Entry<String, Map<String, Map<String, Double>>> bench : table.entrySet()) {
            boolean bulk = bench.getKey().startsWith("bulk");
            String unit = bulk ? "MiB/s" : bench.getKey().startsWith("full") ? "handshakes/s" : "round trips/s";
            sb.append("## ").append(bench.getKey()).append(" (").append(unit).append(")\n\n")
                    .append("| backend | version | tlsupgrade | raw provider | tlsupgrade / raw | vs jsse (tlsupgrade) |\n")
                    .append("|---|---|---|---|---|---|\n");
            for (Map.Entry<String, Map<String, Double>> row : bench.getValue().entrySet()) {
                String[] bv = row.getKey().split(" ");
                double lib = scale(row.getValue().getOrDefault("tlsupgrade", Double.NaN), bulk);
                double raw = scale(row.getValue().getOrDefault("raw", Double.NaN), bulk);
                Map<String, Double> jsse = bench.getValue().get("jsse " + bv[1]);
                double jsseLib = jsse == null ? Double.NaN : scale(jsse.getOrDefault("tlsupgrade", Double.NaN), bulk);
                if (bulk && lib > bestBulk) {
                    bestBulk = lib;
                }
                sb.append("| ").append(bv[0]).append(" | ").append(bv[1]).append(" | ").append(fmt(lib)).append(" | ")
                        .append(fmt(raw)).append(" | ").append(ratio(lib, raw)).append(" | ").append(ratio(lib, jsseLib))
                        .append(" |\n");
            }
            sb.append('\n');
        }
        if (ceilingMiBs > 0 && bestBulk > 0) {
            sb.append("Best bulk throughput through tlsupgrade: ").append(fmt(bestBulk)).append(" MiB/s, ")
                    .append(String.format(Locale.ROOT, "%.2f", bestBulk / ceilingMiBs))
                    .append(" of one core's AES-128-GCM ceiling (`openssl speed -evp aes-128-gcm`, 16 KiB: ")
                    .append(fmt(ceilingMiBs)).append(" MiB/s).\n");
        }
        return sb.toString();
    }

    private static double scale(double score, boolean bulk) {
        return bulk ? score * TlsBenchmarks.CHUNK / (1024.0 * 1024.0) : score;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    /** One core's AES-128-GCM speed on 16 KiB blocks, from openssl; 0 when openssl is not there. */
    static double aesGcmCeilingMiBs() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("openssl", "speed", "-seconds", "1", "-bytes", "16384", "-evp", "aes-128-gcm")
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("(?im)^aes-128-gcm\\s+([0-9.]+)k").matcher(text);
            return m.find() ? Double.parseDouble(m.group(1)) * 1000 / (1024 * 1024) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
