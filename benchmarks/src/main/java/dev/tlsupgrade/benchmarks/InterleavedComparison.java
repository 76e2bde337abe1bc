package dev.tlsupgrade.benchmarks;

import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.Identity;
import dev.tlsupgrade.testing.OpenSslServer;
import dev.tlsupgrade.testing.TestPki;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * tlsupgrade against the provider used directly, measured so that a noisy 2-core machine cannot
 * decide the answer: both paths in one JVM against one server, a warm-up, then alternating blocks
 * (tlsupgrade then raw, raw then tlsupgrade, ...), each pair of blocks giving one ratio. A row
 * reports the median of the ratios with its 95% bootstrap interval, each path's median rate, and
 * the CPU other processes used meanwhile. Host names are verified on both paths (the users' default).
 *
 * <p>It writes {@code benchmarks/RESULTS.md}: every backend and version for full and resumed
 * handshakes, bulk and round trips with an RSA-2048 server key, full handshakes again with ECDSA
 * P-256, the cost curve ({@link CostCurve}: concurrent handshakes, thousands of idle connections), and
 * the machine's own anchors (AES-128-GCM of one core, plain
 * TCP over loopback, {@code openssl s_time -new}, the JDK's crypto next to Bouncy Castle's)
 * measured in the same run. {@code --smoke} runs a tiny version for CI.
 *
 * <pre>InterleavedComparison [--smoke] [--pairs N] [--block MILLIS] [--backends a,b] [--workloads W,...] [--ecdsa] OUTPUT.md</pre>
 */
public final class InterleavedComparison {
    static final List<String> BACKENDS = List.of("jsse", "openssl", "conscrypt", "bctls");
    static final List<TlsVersion> VERSIONS = List.of(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);

    /** How long and how wide a run is. */
    record Settings(int pairs, long blockMillis, long warmupMillis, List<String> backends, List<TlsVersion> versions,
            List<Workload> workloads, boolean ecdsaProfile, boolean anchors) {
        static Settings full(int pairs, long blockMillis) {
            return new Settings(pairs, blockMillis, 3 * blockMillis, BACKENDS, VERSIONS, List.of(Workload.values()), true, true);
        }

        static Settings smoke() {
            return new Settings(3, 100, 200, List.of("openssl"), List.of(TlsVersion.TLS_1_3), List.of(Workload.values()),
                    false, false);
        }

        /** A part of the full run, for looking into one question (no anchors, no ECDSA rows). */
        Settings only(List<String> someBackends, List<Workload> someWorkloads) {
            return new Settings(pairs, blockMillis, warmupMillis, someBackends, versions, someWorkloads, false, false);
        }

        /** The same with the ECDSA full-handshake rows. */
        Settings withEcdsa() {
            return new Settings(pairs, blockMillis, warmupMillis, backends, versions, workloads, true, anchors);
        }
    }

    /** One row: tlsupgrade / raw for one backend, version, workload and server key. */
    record Result(String backend, TlsVersion version, Workload workload, String key, PairStatistics ratio,
            double tlsupgrade, double raw, int pairs, double otherCores, boolean providerStreams) {
    }

    private InterleavedComparison() {
    }

    public static void main(String[] args) throws Exception {
        int pairs = 30;
        long block = 1000;
        boolean smoke = false;
        boolean ecdsa = false;
        List<String> backends = BACKENDS;
        List<Workload> workloads = List.of(Workload.values());
        Path output = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--ecdsa" -> ecdsa = true;
                case "--pairs" -> pairs = Integer.parseInt(args[++i]);
                case "--block" -> block = Long.parseLong(args[++i]);
                case "--backends" -> backends = List.of(args[++i].split(","));
                case "--workloads" -> workloads = java.util.Arrays.stream(args[++i].split(",")).map(Workload::valueOf).toList();
                default -> output = Path.of(args[i]);
            }
        }
        if (output == null) {
            System.err.println("usage: InterleavedComparison [--smoke] [--pairs N] [--block MILLIS] [--backends a,b] "
                    + "[--workloads FULL_HANDSHAKE,RESUMED_HANDSHAKE,BULK,ROUND_TRIP] [--ecdsa] OUTPUT.md");
            System.exit(2);
        }
        java.util.logging.LogManager.getLogManager().reset(); // BCJSSE reports its set-up through java.util.logging
        Settings settings = smoke ? Settings.smoke() : Settings.full(pairs, block);
        if (!smoke && (backends != BACKENDS || workloads.size() < Workload.values().length)) {
            settings = settings.only(backends, workloads);
            if (ecdsa) {
                settings = settings.withEcdsa();
            }
        }
        double quiet = OtherLoad.waitForQuiet(0.25, smoke ? 1 : 60);
        List<String> failed = new ArrayList<>();
        List<Result> results = run(settings, System.err, failed);
        String notRun = failed.isEmpty() ? "" : "## Rows that could not run\n\n- " + String.join("\n- ", failed) + "\n\n";
        String anchors = settings.anchors() ? anchors(results, System.err) : "";
        String costCurve = settings.anchors() ? CostCurve.markdown(BACKENDS, CostCurve.PAIRS, CostCurve.BLOCK_MILLIS,
                CostCurve.IDLE, System.err) : "";
        Files.writeString(output, markdown(settings, results, quiet) + notRun + anchors + costCurve, StandardCharsets.UTF_8);
        System.err.println("wrote " + output);
    }

    /** Every row of {@code settings}, in order, progress on {@code progress}; a row that cannot run fails the call. */
    static List<Result> run(Settings settings, PrintStream progress) throws Exception {
        List<String> failed = new ArrayList<>();
        List<Result> results = run(settings, progress, failed);
        if (!failed.isEmpty()) {
            throw new IllegalStateException("rows that could not run: " + failed);
        }
        return results;
    }

    /** Every row of {@code settings}; a row that cannot run is added to {@code failed} and the run goes on. */
    static List<Result> run(Settings settings, PrintStream progress, List<String> failed) throws Exception {
        List<Result> results = new ArrayList<>();
        for (Workload w : settings.workloads()) {
            for (String backend : settings.backends()) {
                for (TlsVersion v : settings.versions()) {
                    if (w.netty() && !backend.equals("openssl")) {
                        continue; // Netty's pipeline is the anchor for BoringSSL through tcnative only
                    }
                    if (w == Workload.RESUMED_HANDSHAKE && !dev.tlsupgrade.TlsBackends.get(backend).capabilities()
                            .has(dev.tlsupgrade.TlsFeature.SESSION_RESUMPTION)) {
                        continue; // bctls: tlsupgrade's backend does not resume, so there is no pair to compare
                    }
                    for (boolean ecdsa : w == Workload.FULL_HANDSHAKE && settings.ecdsaProfile()
                            ? new boolean[] {false, true} : new boolean[] {false}) {
                        try {
                            results.add(measure(backend, v, w, ecdsa, settings, progress));
                        } catch (Exception e) {
                            String row = backend + " " + v.jsseName() + " " + w.title + (ecdsa ? " (ECDSA P-256)" : "");
                            progress.println(row + ": could not run: " + e);
                            failed.add(row + ": " + e);
                        }
                    }
                }
            }
        }
        return results;
    }

    static Result measure(String backend, TlsVersion version, Workload workload, boolean ecdsa, Settings s,
            PrintStream progress) throws Exception {
        Identity id = TestPki.get().benchmark(ecdsa);
        try (BenchServer server = workload.server(backend, version, id);
                Client up = Client.create(backend, workload.engine() ? "tlsupgrade-engine" : "tlsupgrade", version);
                Client raw = Client.create(backend, workload.engine() ? "raw-engine" : "raw", version);
                Workload.Side a = workload.side(up, server.port(), version);
                Workload.Side b = workload.anchor(raw, server.port(), version)) {
            long warm = s.warmupMillis() * 1_000_000;
            a.rate(warm);
            b.rate(warm);
            a.rate(warm);
            b.rate(warm);
            long blockNanos = s.blockMillis() * 1_000_000;
            double[] ra = new double[s.pairs()];
            double[] rb = new double[s.pairs()];
            double[] ratios = new double[s.pairs()];
            OtherLoad start = OtherLoad.now();
            for (int i = 0; i < s.pairs(); i++) {
                if (i % 2 == 0) {
                    ra[i] = a.rate(blockNanos);
                    rb[i] = b.rate(blockNanos);
                } else {
                    rb[i] = b.rate(blockNanos);
                    ra[i] = a.rate(blockNanos);
                }
                ratios[i] = ra[i] / rb[i];
            }
            boolean providerStreams = a.streams() != null && a.streams().equals(b.streams());
            Result r = new Result(backend, version, workload, ecdsa ? "ECDSA P-256" : "RSA-2048", PairStatistics.of(ratios),
                    PairStatistics.median(ra), PairStatistics.median(rb), s.pairs(), OtherLoad.now().coresSince(start),
                    providerStreams);
            progress.printf(Locale.ROOT, "%-9s %-7s %-38s %-11s %9.1f %9.1f  %s  others %.2f cores%n", backend,
                    version.jsseName(), workload.title, r.key(), r.tlsupgrade(), r.raw(), r.ratio(), r.otherCores());
            return r;
        }
    }

    static String markdown(Settings s, List<Result> results, double quietCores) {
        StringBuilder sb = new StringBuilder("# tlsupgrade benchmarks\n\n");
        sb.append(String.format(Locale.ROOT, "Made by `benchmarks/compare.sh` on %s: %d cores, %s %s, %s %s. "
                + "Both paths run in one JVM against one server of the backend's own kind over loopback, host names "
                + "verified on both (tlsupgrade by default, raw by the provider's HTTPS endpoint identification). After a "
                + "warm-up the two paths alternate in blocks of %d ms (tlsupgrade first, then raw first, ...), %d pairs a "
                + "row; the ratio is tlsupgrade / raw, the median of the per-pair ratios with its 95%% bootstrap interval; "
                + "bulk and round-trip blocks each run on a new connection (its handshake not timed). "
                + "\"others\" is the CPU the machine spent outside this JVM during the row, in cores: other processes, "
                + "and the kernel's loopback work that no process is charged for, which is why it is never quite 0 (%.2f in "
                + "the second before the run). The server allows AES-128-GCM only (with ECDHE and the server key's "
                + "signature in TLS 1.2), so both paths negotiate the same suite whatever they offer (BoringSSL's server, "
                + "under the openssl rows, cannot narrow TLS 1.3's suites; there both paths offer AES-128-GCM first). "
                + "\"raw\" is the "
                + "provider used directly: a layered SSLSocketFactory socket with the provider's "
                + "defaults; for openssl, tcnative's engine in core's engine socket without the upgrader; for bctls, "
                + "Bouncy Castle's own TLS API (a TlsClientProtocol over the socket's streams driving a DefaultTlsClient "
                + "with Bouncy Castle's defaults, the JDK's PKIX trust manager and a dNSName check: `RawBcProtocol`), on "
                + "the crypto provider the bctls backend gives Bouncy Castle, since that API is what the backend runs "
                + "under core. The \"through an "
                + "SSLEngine\" rows run both paths' engines in one engine loop (core's EngineSocket): core's engine from "
                + "sslContext() against the provider's own engine configured as the raw socket (for bctls BCJSSE's, the "
                + "provider's only engine, on the same crypto). The "
                + "\"against Netty's SslHandler\" rows (openssl only) take as raw path Netty's own client pipeline on the "
                + "same tcnative (SslProvider.OPENSSL, one NIO event loop), the anchor a BoringSSL user would pick; their bulk "
                + "rows write 64 chunks per flush on both paths (a BufferedOutputStream on tlsupgrade's). The \"against plain "
                + "TCP\" rows take as raw path the same writes over plain TCP, no TLS. Full handshakes use a fresh name under `*.bench.test` each (nothing "
                + "resumes); resumed rows were checked on the wire to resume. JMH's absolute figures are in "
                + "[JMH-RESULTS.md](JMH-RESULTS.md).%n%n", LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), System.getProperty("os.name"),
                System.getProperty("os.arch"), s.blockMillis(), s.pairs(), quietCores));
        for (Workload w : Workload.values()) {
            List<Result> rows = results.stream().filter(r -> r.workload() == w).toList();
            if (rows.isEmpty()) {
                continue;
            }
            sb.append("## ").append(w.title).append(" (").append(w.unit).append(")\n\n");
            sb.append("| backend | version | server key | tlsupgrade | raw | tlsupgrade / raw [95%] | others |\n");
            sb.append("|---|---|---|---|---|---|---|\n");
            for (Result r : rows) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.0f | %s | %.2f |%n", r.backend(),
                        r.version().jsseName(), r.key(), r.tlsupgrade(), r.raw(), r.ratio(), r.otherCores()));
            }
            sb.append('\n');
        }
        sb.append(verdict(results));
        return sb.toString();
    }

    /** Which rows show tlsupgrade within 3% of the provider, and which do not. */
    static String verdict(List<Result> results) {
        StringBuilder sb = new StringBuilder("## Within 3% of the provider?\n\n");
        List<String> within = new ArrayList<>();
        List<String> overlapping = new ArrayList<>();
        List<String> outside = new ArrayList<>();
        for (Result r : results) {
            String name = r.backend() + " " + r.version().jsseName() + " " + r.workload().title
                    + (r.key().equals("RSA-2048") ? "" : " (" + r.key() + ")") + ": " + r.ratio();
            (r.ratio().within(0.97, 1.03) ? within : r.ratio().overlaps(0.97, 1.03) ? overlapping : outside).add(name);
        }
        sb.append("- interval inside [0.97, 1.03]: ").append(within.size()).append(" rows\n");
        sb.append("- interval overlapping it: ").append(overlapping.size()).append(" rows\n");
        sb.append("- interval outside it: ").append(outside.isEmpty() ? "none" : String.join("; ", outside)).append("\n");
        List<String> same = new ArrayList<>();
        List<String> differ = new ArrayList<>();
        for (Result r : results) {
            if (r.workload() == Workload.BULK || r.workload() == Workload.ROUND_TRIP) {
                String row = r.backend() + " " + r.version().jsseName() + " " + r.workload().title;
                (r.providerStreams() ? same : differ).add(row);
            }
        }
        if (!same.isEmpty()) {
            sb.append("- after the handshake, tlsupgrade's socket hands out the provider's own streams, the same classes "
                    + "as the raw path's (checked in this run), so no tlsupgrade code runs per read or write: ")
                    .append(String.join("; ", same)).append(". Their ratios differ from 1 by the machine's noise.\n");
        }
        if (!differ.isEmpty()) {
            sb.append("- different stream classes on the two paths, so different code per read and write: ")
                    .append(String.join("; ", differ)).append(".\n");
        }
        return sb.append('\n').toString();
    }

    /**
     * The machine's anchors, measured now: one core's AES-128-GCM, plain TCP over loopback, s_time
     * against s_server, and the JDK's crypto next to Bouncy Castle's.
     */
    static String anchors(List<Result> results, PrintStream progress) throws Exception {
        double ceiling = MachineAnchors.aes128GcmMibPerSecond(3);
        Optional<Result> best = results.stream().filter(r -> r.workload() == Workload.BULK)
                .max(java.util.Comparator.comparingDouble(Result::tlsupgrade));
        StringBuilder sb = new StringBuilder("## Against the machine\n\n");
        sb.append(String.format(Locale.ROOT, "- One core's AES-128-GCM on 16 KiB blocks (`openssl speed -evp "
                + "aes-128-gcm`, this run): %.0f MiB/s.%n", ceiling));
        double tcp = MachineAnchors.loopbackTcpMibPerSecond(3);
        progress.printf(Locale.ROOT, "AES-128-GCM core %.0f MiB/s, plain TCP over loopback %.0f MiB/s%n", ceiling, tcp);
        sb.append(String.format(Locale.ROOT, "- Plain TCP over the same loopback, no TLS (16 KiB writes from one thread to a "
                + "discarding reader in this JVM, this run): %.0f MiB/s = %.2f of that core. No TLS bulk figure here can "
                + "pass it: the bulk rows add encryption on one side and decryption on the other, on the same two "
                + "cores.%n", tcp, tcp / ceiling));
        best.ifPresent(b -> sb.append(String.format(Locale.ROOT, "- Best bulk through tlsupgrade: %.0f MiB/s (%s %s) = "
                + "%.2f of that core, %.2f of plain TCP.%n", b.tlsupgrade(), b.backend(), b.version().jsseName(),
                b.tlsupgrade() / ceiling, b.tlsupgrade() / tcp)));
        for (TlsVersion v : VERSIONS) {
            Optional<Result> openssl = bulk(results, "openssl", v);
            Optional<Result> conscrypt = bulk(results, "conscrypt", v);
            if (openssl.isPresent() && conscrypt.isPresent()) {
                sb.append(String.format(Locale.ROOT, "- Bulk %s, openssl / conscrypt (same BoringSSL): %.0f / %.0f MiB/s = "
                        + "%.2f.%n", v.jsseName(), openssl.get().tlsupgrade(), conscrypt.get().tlsupgrade(),
                        openssl.get().tlsupgrade() / conscrypt.get().tlsupgrade()));
            }
        }
        sb.append(sTime(progress));
        sb.append("\nThe crypto the bctls backend chooses from, JDK 17 next to Bouncy Castle (alternating 300 ms blocks, "
                + "medians; the backend, and the bctls anchors too, take ciphers and RSA from the JDK and elliptic curves "
                + "from Bouncy Castle, whichever is faster here; BCJSSE as its documentation sets it up runs all of "
                + "Bouncy Castle's):\n\n").append(ProviderCrypto.table());
        return sb.append('\n').toString();
    }

    private static Optional<Result> bulk(List<Result> results, String backend, TlsVersion v) {
        return results.stream().filter(r -> r.workload() == Workload.BULK && r.backend().equals(backend)
                && r.version() == v).findFirst();
    }

    /**
     * The openssl backend's full handshakes per second against {@code openssl s_server} next to
     * {@code openssl s_time -new} against the same server, in alternating 3 s blocks, three each.
     */
    static String sTime(PrintStream progress) throws Exception {
        try (OpenSslServer server = OpenSslServer.builder().identity(TestPki.get().benchmark(false)).start();
                Client client = Client.create("openssl", "tlsupgrade", TlsVersion.TLS_1_3)) {
            // a fresh name each, as s_time -new resumes nothing (names reused across blocks could resume)
            Workload.Side ours = blockNanos -> Workload.count(blockNanos, () -> {
                try (SSLSocket s = client.connect(server.port(), Workload.freshName())) {
                    s.getSession();
                }
            });
            ours.rate(2_000_000_000L);
            double[] c = new double[3];
            double[] j = new double[3];
            for (int i = 0; i < 3; i++) {
                c[i] = MachineAnchors.sTimeHandshakesPerSecond(server.port(), 3);
                j[i] = ours.rate(3_000_000_000L);
            }
            double cMedian = PairStatistics.median(c);
            double jMedian = PairStatistics.median(j);
            progress.printf(Locale.ROOT, "s_time %.0f/s, openssl backend %.0f/s%n", cMedian, jMedian);
            return String.format(Locale.ROOT, "- Full TLS 1.3 handshakes against `openssl s_server` (RSA-2048): the openssl "
                    + "backend %.0f/s (host name verified), `openssl s_time -new` (a C client, verifying nothing) %.0f/s: "
                    + "a ratio of %.2f (three alternating 3 s blocks each, medians).%n", jMedian, cMedian, jMedian / cMedian);
        }
    }
}
