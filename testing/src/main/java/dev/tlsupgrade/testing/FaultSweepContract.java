package dev.tlsupgrade.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.TlsBackend;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.FaultProxy.Direction;
import dev.tlsupgrade.testing.FaultProxy.Fault;
import dev.tlsupgrade.testing.FaultProxy.Plan;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Puts a {@link FaultProxy} between a backend and {@code openssl s_server} and injects every fault
 * class at many places of both directions of a handshake (TLS 1.2 and 1.3). Each trial must end
 * within the timeout plus one second, in success or a {@link TlsUpgradeException} with the socket
 * closed, and with the kind {@link FaultOracle} expects for that fault at that place, which is the
 * same for every backend. A success where the oracle expects a failure is a false success.
 *
 * <p>CI runs a bounded sweep (record headers, a stride through the bodies); {@code
 * -Dtlsupgrade.sweep=full} tries every byte offset of the handshake in both directions.
 */
@org.junit.jupiter.api.extension.ExtendWith(JvmStateGuard.class)
public abstract class FaultSweepContract {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final boolean FULL = "full".equals(System.getProperty("tlsupgrade.sweep"));

    protected abstract String backendName();

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TlsVersion.class, names = {"TLS_1_2", "TLS_1_3"})
    void everyFaultEndsInTheKindItsEvidenceShows(TlsVersion version) throws Exception {
        TlsBackend backend = TlsBackends.get(backendName());
        TlsClientConfig config = TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem()).protocols(version)
                .handshakeTimeout(TIMEOUT).sessionResumption(false).build();
        List<String> wrong = new ArrayList<>();
        Map<String, Map<String, Integer>> seen = new TreeMap<>();
        int trials = 0;
        try (OpenSslServer server = OpenSslServer.builder().identity(TestPki.get().good()).version(version).start();
                TlsUpgrader upgrader = backend.newUpgrader(config)) {
            FaultOracle oracle = FaultOracle.of(clean(upgrader, server.port()), version);
            for (Plan plan : oracle.plans(FULL)) {
                FaultOracle.Expected expected = oracle.expect(plan);
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
        StringBuilder report = new StringBuilder(backendName() + " " + version + ": " + trials + " trials\n");
        seen.forEach((c, kinds) -> report.append(String.format("  %-44s %s%n", c, kinds)));
        System.out.print(report);
        assertThat(wrong).as(report + "\nwrong outcomes (" + wrong.size() + ")").isEmpty();
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
