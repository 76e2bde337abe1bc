package dev.tlsupgrade.benchmarks;

import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.ChildJvm;
import dev.tlsupgrade.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs every benchmark with a short profile (about fifteen minutes on two cores; {@code --long} for
 * three forks per row) and the {@link Footprint} measurements, and writes
 * {@code JMH-RESULTS.md} (absolute figures; the comparison with the providers is {@link InterleavedComparison}). Ratios within one run are what to read; absolute numbers on a shared two-core
 * machine are noise.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar [--long] [JMH-RESULTS.md path]</pre>
 */
public final class RunBenchmarks {
    static final List<String> BACKENDS = List.of("jsse", "openssl", "conscrypt", "bctls");
    static final List<String> PATHS = List.of("tlsupgrade", "raw");
    static final int FOOTPRINT_CONNECTIONS = 1000;

    private RunBenchmarks() {
    }

    public static void main(String[] args) throws RunnerException, IOException, InterruptedException, GeneralSecurityException {
        boolean longProfile = List.of(args).contains("--long");
        Path out = Path.of(List.of(args).stream().filter(a -> !a.startsWith("--")).findFirst().orElse("benchmarks/JMH-RESULTS.md"));
        int forks = longProfile ? 3 : 1;
        // Warm-up and measurement come from each class: handshake code needs ~10 s of C2 on two busy cores.
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(Handshakes.class.getName()).include(Resumption.class.getName())
                .include(Bulk.class.getName()).include(RoundTrip.class.getName())
                .forks(forks)
                .jvmArgs("-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error")
                .timeUnit(TimeUnit.SECONDS)
                .build()).run();
        List<Report.FootprintRow> footprints = footprints();
        String heading = "Made by `benchmarks/run.sh" + (longProfile ? " --long" : "") + "` on " + LocalDate.now() + ": "
                + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name") + ' '
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + ' ' + System.getProperty("os.arch")
                + ". JMH, " + forks + " fork(s) per row; handshakes 5 x 2 s warm-up and 3 x 2 s measured, bulk and round"
                + " trips 3 x 1 s and 3 x 1 s. Client and server in one JVM over loopback; each backend talks to a server of its own"
                + " provider (openssl: BoringSSL's engine; conscrypt: Conscrypt; jsse and bctls: the JDK's), RSA-2048"
                + " certificates. \"raw\" is the provider used directly: a layered SSLSocketFactory socket with the"
                + " provider's defaults; for openssl, tcnative's engine in core's engine socket without the upgrader; for"
                + " bctls, BCJSSE with Bouncy Castle's own crypto, its documented set-up. Handshake rows include one echoed"
                + " byte (how TLS 1.3 tickets are read). Read the ratios; absolute numbers on two shared cores are noise.";
        String report = new Report(heading).jmh(results, defaultSuites()).footprint(footprints, FOOTPRINT_CONNECTIONS)
                .ceiling(MachineAnchors.aes128GcmMibPerSecond(1)).toString();
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** "backend version" -> the suite a default-configured client and server agree on ("tlsupgrade / raw" if they differ). */
    static Map<String, String> defaultSuites() throws IOException, GeneralSecurityException {
        Map<String, String> suites = new TreeMap<>();
        for (String backend : BACKENDS) {
            for (TlsVersion v : List.of(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3)) {
                List<String> byPath = new ArrayList<>();
                for (String path : PATHS) {
                    try (BenchServer server = BenchServer.start(backend, v, null, BenchServer.Mode.DISCARD);
                            Client client = Client.create(backend, path, v);
                            SSLSocket s = client.connect(server.port(), "suite.bench.test")) {
                        byPath.add(s.getSession().getCipherSuite());
                    }
                }
                suites.put(backend + " " + v.jsseName(), byPath.get(0).equals(byPath.get(1)) ? byPath.get(0) : String.join(" / ", byPath));
            }
        }
        return suites;
    }

    /** Runs {@link Footprint} in a JVM of its own for every backend, version and path, with 1,000 connections. */
    static List<Report.FootprintRow> footprints() throws IOException, InterruptedException, GeneralSecurityException {
        return footprints(BACKENDS, List.of(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3), FOOTPRINT_CONNECTIONS);
    }

    /** Runs {@link Footprint} in a JVM of its own for each of {@code backends}, {@code versions} and path, {@code count} connections. */
    static List<Report.FootprintRow> footprints(List<String> backends, List<TlsVersion> versions, int count)
            throws IOException, InterruptedException, GeneralSecurityException {
        List<Report.FootprintRow> rows = new ArrayList<>();
        for (String backend : backends) {
            for (TlsVersion v : versions) {
                for (String path : PATHS) {
                    rows.add(footprint(backend, v, path, count));
                }
            }
        }
        return rows;
    }

    /**
     * One {@link Footprint} run. The server is the JDK's for every backend: the client's memory is what
     * is measured, and a Conscrypt server holds a pipe beside each socket, which at 10,000
     * connections outruns a process's usual limit of open files.
     */
    static Report.FootprintRow footprint(String backend, TlsVersion v, String path, int count)
            throws IOException, InterruptedException, GeneralSecurityException {
        Pattern line = Pattern.compile("heapPerConnection=(-?\\d+) rssPerConnection=(-?\\d+) upgradeMillis=(\\d+) threadGrowth=(-?\\d+)");
        try (BenchServer server = BenchServer.start("jsse", v, Connections.aes128Gcm(v), BenchServer.Mode.ECHO)) {
            String output = child(Footprint.class, count, backend, v.jsseName(), path, String.valueOf(server.port()),
                    String.valueOf(count), TestPki.get().caPem().toString());
            Matcher m = line.matcher(output);
            Matcher cannot = Pattern.compile("cannot=(.*)").matcher(output);
            if (cannot.find()) {
                return Report.FootprintRow.notRun(backend, v.jsseName(), path, cannot.group(1));
            }
            if (!m.find()) {
                throw new IOException("footprint " + backend + " " + v.jsseName() + " " + path + " failed:\n" + output);
            }
            return new Report.FootprintRow(backend, v.jsseName(), path, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), null);
        }
    }

    /**
     * What {@code main} printed in a JVM of its own, with a pre-touched fixed heap large enough for
     * {@code connections} open connections (conscrypt's take 37 KB of heap each).
     */
    static String child(Class<?> main, int connections, String... args) throws IOException, InterruptedException {
        String heap = connections > 2000 ? "-Xmx2g" : "-Xmx512m";
        // glibc's per-thread malloc arenas make resident memory jump by whole arenas; two keep it readable
        return ChildJvm.run(main, List.of(heap.replace("mx", "ms"), heap, "-XX:+AlwaysPreTouch",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error"), Map.of("MALLOC_ARENA_MAX", "2"), args).output();
    }
}
