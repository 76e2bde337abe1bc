package dev.tlsupgrade.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.TlsBackend;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.FaultProxy.Direction;
import dev.tlsupgrade.testing.FaultProxy.Plan;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.net.ssl.SSLSocket;

/**
 * Puts a {@link FaultProxy} between a backend and {@code openssl s_server} and injects every fault
 * class at many places of both directions of a handshake (TLS 1.2 or 1.3). Each trial must end
 * within the timeout plus one second, in success or a {@link TlsUpgradeException} with the socket
 * closed, and with the one outcome {@link FaultOracle} derives for that fault class and region from
 * the clean handshake's bytes. A success where the oracle expects a failure is a false success, and
 * legacy advice after a corrupted server byte is wrong whatever the kind.
 *
 * <p>Only the classes where the server judges bytes we changed (the ClientHello, our last flight)
 * admit several outcomes: there the server's alert or silence decides, and the backends' different
 * hellos meet different verdicts. {@link #compare} checks that the backends agree on every other class.
 *
 * <p>The bounded sweep tries record headers and a stride through the bodies; {@code full} tries
 * every byte offset of the handshake in both directions, closes and resets included.
 */
public final class FaultSweep {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private FaultSweep() {
    }

    /** Whether {@code -Dtlsupgrade.sweep=full} asks for every byte offset. */
    public static boolean fullRequested() {
        return "full".equals(System.getProperty("tlsupgrade.sweep"));
    }

    /**
     * What one backend did in one sweep: how many trials, the outcomes seen per fault class, and every
     * outcome the oracle does not admit.
     */
    public record Result(String backend, TlsVersion version, int trials, Map<String, Map<String, Integer>> seen,
            Set<String> serverVerdicts, List<String> wrong) {
        /** The per-class table printed after a sweep. */
        public String report() {
            StringBuilder report = new StringBuilder(backend + " " + version + ": " + trials + " trials\n");
            seen.forEach((c, kinds) -> report.append(String.format("  %-60s %s%n", c, kinds)));
            return report.toString();
        }
    }

    /** Runs the sweep on {@code backendName} for {@code version}. */
    public static Result run(String backendName, TlsVersion version, boolean full) throws Exception {
        TlsBackend backend = TlsBackends.get(backendName);
        TlsClientConfig config = TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem()).protocols(version)
                .handshakeTimeout(TIMEOUT).sessionResumption(false).build();
        List<String> wrong = new ArrayList<>();
        Map<String, Map<String, Integer>> seen = new TreeMap<>();
        Set<String> verdicts = new TreeSet<>();
        int trials = 0;
        try (OpenSslServer server = OpenSslServer.builder().identity(TestPki.get().good()).version(version).start();
                TlsUpgrader upgrader = backend.newUpgrader(config)) {
            FaultOracle oracle = FaultOracle.of(clean(upgrader, server.port()), version);
            for (Plan plan : oracle.plans(full)) {
                FaultOracle.Expected expected = oracle.expect(plan);
                if (expected.serverVerdict()) {
                    verdicts.add(expected.faultClass());
                } else if (expected.admitted().size() != 1) {
                    throw new AssertionError("the oracle admits " + expected + " for " + expected.faultClass());
                }
                String outcome = trial(upgrader, server.port(), plan);
                trials++;
                seen.computeIfAbsent(expected.faultClass(), k -> new TreeMap<>()).merge(outcome.split(" ", 2)[0], 1, Integer::sum);
                if (!expected.admits(outcome)) {
                    wrong.add(plan + " [" + expected.faultClass() + "]: expected " + expected + ", got " + outcome);
                }
                // One changed, inserted or missing byte from the server must never earn advice to weaken the config.
                boolean silentServer = plan.offset() == 0 && (plan.fault() == FaultProxy.Fault.CLOSE
                        || plan.fault() == FaultProxy.Fault.RESET || plan.fault() == FaultProxy.Fault.STALL);
                if (plan.direction() == Direction.TO_CLIENT && !silentServer && outcome.contains("allowLegacyProtocols")) {
                    wrong.add(plan + " [" + expected.faultClass() + "]: legacy advice after a corrupted server byte: " + outcome);
                }
            }
            String trickled;
            try (TlsUpgrader patient = backend.newUpgrader(config.toBuilder().handshakeTimeout(Duration.ofSeconds(30)).build())) {
                trickled = trial(patient, server.port(), Plan.trickle(Direction.TO_CLIENT, Duration.ofMillis(1)));
            }
            if (!trickled.equals("SUCCESS")) {
                wrong.add("a server trickling one byte per millisecond within the timeout: expected SUCCESS, got " + trickled);
            }
            String cutOff = trial(upgrader, server.port(), Plan.trickle(Direction.TO_CLIENT, Duration.ofMillis(5)));
            if (!cutOff.startsWith("TIMEOUT")) {
                wrong.add("a server trickling past the handshake timeout: expected TIMEOUT, got " + cutOff);
            }
        }
        return new Result(backendName, version, trials, seen, verdicts, wrong);
    }

    /**
     * Where the backends disagree: each fault class (the server's verdicts aside) that two results of
     * one version both met must have ended in the same outcomes on both.
     */
    public static List<String> compare(List<Result> results) {
        List<String> differences = new ArrayList<>();
        for (Result a : results) {
            for (Result b : results) {
                if (a.backend().compareTo(b.backend()) >= 0 || a.version() != b.version()) {
                    continue;
                }
                for (Map.Entry<String, Map<String, Integer>> c : a.seen().entrySet()) {
                    Map<String, Integer> other = b.seen().get(c.getKey());
                    if (other != null && !a.serverVerdicts().contains(c.getKey())
                            && !other.keySet().equals(c.getValue().keySet())) {
                        differences.add(a.version() + " " + c.getKey() + ": " + a.backend() + " " + c.getValue() + ", "
                                + b.backend() + " " + other);
                    }
                }
            }
        }
        return differences;
    }

    /** One handshake through an unfaulted proxy: what each side sent and where its turns began. */
    private static FaultOracle.Transcript clean(TlsUpgrader upgrader, int port) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(port, Plan.none());
                SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), proxy.port()), "localhost", proxy.port())) {
            tls.setSoTimeout(5000);
            assertThat(Echo.roundTrip(tls, "ping")).isEqualTo("gnip");
            return new FaultOracle.Transcript(proxy.sent(Direction.TO_CLIENT), proxy.sent(Direction.TO_SERVER),
                    proxy.turns(Direction.TO_CLIENT), proxy.turns(Direction.TO_SERVER));
        }
    }

    /**
     * One faulted handshake: "SUCCESS" (with the echo's result when it failed), "KIND ..." for a
     * {@link TlsUpgradeException}, or a line starting with "BROKEN" for anything a user must never see.
     */
    private static String trial(TlsUpgrader upgrader, int port, Plan plan) throws Exception {
        java.util.concurrent.ExecutorService one = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread th = new Thread(r, "fault-trial");
            th.setDaemon(true);
            return th;
        });
        java.util.concurrent.Future<String> outcome = one.submit(() -> attempt(upgrader, port, plan));
        try {
            return outcome.get(upgrader.config().handshakeTimeout().toMillis() + 10_000, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            outcome.cancel(true);
            return "BROKEN hang: the trial did not end within the handshake timeout plus 10 s";
        } finally {
            one.shutdownNow();
        }
    }

    private static String attempt(TlsUpgrader upgrader, int port, Plan plan) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(port, plan)) {
            Socket raw = Loopback.connect(Loopback.v4(), proxy.port());
            long start = System.nanoTime();
            SSLSocket tls;
            try {
                tls = upgrader.upgrade(raw, "localhost", proxy.port());
            } catch (TlsUpgradeException e) {
                long ms = (System.nanoTime() - start) / 1_000_000;
                if (ms > upgrader.config().handshakeTimeout().toMillis() + 1000) {
                    return "BROKEN hang " + ms + " ms: " + e.kind();
                }
                if (!raw.isClosed()) {
                    raw.close();
                    return "BROKEN socket left open: " + e.kind();
                }
                StringBuilder causes = new StringBuilder();
                for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                    causes.append(" <- ").append(t);
                }
                return e.kind() + " " + e.getMessage().replace('\n', ' ') + causes;
            } catch (Throwable t) {
                raw.close();
                return "BROKEN " + t;
            }
            try (tls) {
                tls.setSoTimeout(2000);
                String answer = Echo.roundTrip(tls, "ping");
                return answer.equals("gnip") ? "SUCCESS" : "SUCCESS then echo answered '" + answer + "'";
            } catch (java.io.IOException e) {
                return "SUCCESS then echo failed: " + e;
            }
        }
    }
}
