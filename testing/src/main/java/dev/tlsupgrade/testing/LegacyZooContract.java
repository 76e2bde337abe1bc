package dev.tlsupgrade.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every server of the {@link LegacyZoo} against one backend: with the default config the upgrade
 * never ends below TLS 1.2; with the cell's concessions it is reached (and data crosses), or refused
 * with the cell's cause. Each backend module runs it through a one-line subclass.
 */
@org.junit.jupiter.api.extension.ExtendWith(JvmStateGuard.class)
@Timeout(60)
public abstract class LegacyZooContract {
    private static final Duration WAIT = Duration.ofSeconds(4);

    @TempDir
    Path dir;

    protected abstract String backendName();

    private TlsClientConfig.Builder base(LegacyZoo zoo) {
        TlsClientConfig.Builder b = TlsClientConfig.builder().handshakeTimeout(WAIT);
        return zoo.selfSigned() ? b.knownHosts(dir.resolve("known_hosts")) : b.trustedCertificates(TestPki.get().caPem());
    }

    @ParameterizedTest
    @EnumSource(LegacyZoo.class)
    void theDefaultConfigNeverEndsBelowTls12(LegacyZoo zoo) throws Exception {
        try (LegacyZoo.ZooServer server = zoo.start(dir);
                TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(base(zoo).build());
                SSLSocket tls = upgrader.upgrade(server.connect(), "localhost", server.port())) {
            TlsVersion v = TlsHandshakeInfo.of(tls).orElseThrow().version();
            assertThat(v.isLegacy()).as(zoo + " reached with the default config at " + v).isFalse();
        } catch (TlsUpgradeException refused) {
            String message = refused.getMessage();
            assertThat(message).as("a default upgrade is refused with an explanation").contains(backendName());
            if (zoo == LegacyZoo.SSL_3_ONLY) {
                assertThat(message).as("no legacy advice for SSL 3.0").doesNotContain("allowLegacyProtocols");
            }
            if (zoo == LegacyZoo.VERSION_INTOLERANT_ALERT) {
                assertThat(message).as("an alert before the ServerHello may be intolerance").contains("does not tolerate");
            }
            if (zoo == LegacyZoo.TLS_1_3_INTOLERANT) {
                assertThat(message).as("TLS 1.2 alone is advised before legacy versions").contains("protocols(TLS_1_2)");
                assertThat(message.indexOf("protocols(TLS_1_2)")).as(message)
                        .isLessThan(message.indexOf("allowLegacyProtocols"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LegacyZoo.class)
    void eachServerIsReachedWithItsConcessionsOrRefusedWithItsCause(LegacyZoo zoo) throws Exception {
        LegacyZoo.Cell cell = zoo.cell(backendName());
        TlsClientConfig config;
        TlsUpgrader upgrader;
        try {
            config = cell.apply(base(zoo)).build();
            upgrader = TlsBackends.get(backendName()).newUpgrader(config);
        } catch (RuntimeException refusedUpFront) {
            if (cell.needsOptIn()) {
                assertThat(refusedUpFront.getMessage()).as("refused here, before the opt-in").contains("JVM-wide opt-in");
                afterTheOptIn(zoo, cell);
                return;
            }
            assertThat(cell.outcome()).as(zoo + " on " + backendName() + ": " + refusedUpFront.getMessage())
                    .isEqualTo(LegacyZoo.Cell.Outcome.CANNOT);
            assertThat(refusedUpFront.getMessage()).contains(cell.words());
            return;
        }
        assertThat(cell.needsOptIn()).as(zoo + " on " + backendName() + " needs no JVM-wide opt-in").isFalse();
        try (LegacyZoo.ZooServer server = zoo.start(dir); upgrader) {
            try (SSLSocket tls = upgrader.upgrade(server.connect(), "localhost", server.port())) {
                assertThat(cell.outcome()).as(zoo + " on " + backendName() + " was reached: "
                        + TlsHandshakeInfo.of(tls).orElseThrow()).isEqualTo(LegacyZoo.Cell.Outcome.REACHED);
                server.assertDataCrosses(tls);
            } catch (TlsUpgradeException e) {
                if (cell.outcome() == LegacyZoo.Cell.Outcome.REACHED) {
                    fail(zoo + " on " + backendName() + " must be reached with " + cell.text() + ", but: " + e.getMessage());
                }
                if (cell.kind() != null) {
                    assertThat(e.kind()).as(e.getMessage()).isEqualTo(cell.kind());
                }
                assertThat(e.getMessage()).contains(cell.words());
            }
        }
    }

    /** A cell that holds after the backend's JVM-wide opt-in, proven in a JVM of its own ({@link ZooOptInMain}). */
    private void afterTheOptIn(LegacyZoo zoo, LegacyZoo.Cell cell) throws Exception {
        try (LegacyZoo.ZooServer server = zoo.start(dir)) {
            String trust = (zoo.selfSigned() ? dir.resolve("known_hosts") : TestPki.get().caPem()).toString();
            ChildJvm.Result r = ChildJvm.run(ZooOptInMain.class, backendName(), zoo.name(), String.valueOf(server.port()),
                    trust, server.talk().name());
            String expected = cell.outcome() == LegacyZoo.Cell.Outcome.REACHED ? "REACHED " : "REFUSED " + cell.kind() + " ";
            assertThat(r.output()).as(zoo + " on " + backendName() + " after the opt-in").contains(expected);
            if (!cell.words().isEmpty()) {
                assertThat(r.output()).contains(cell.words());
            }
        }
    }

    /**
     * The probe, with only this backend on the class path, finds a way into every server the backend
     * reaches, and recommends a config that does reach it and concedes no legacy version where the
     * matrix needs none.
     */
    @ParameterizedTest
    @EnumSource(LegacyZoo.class)
    void theProbeRecommendsAConfigThatReachesIt(LegacyZoo zoo) throws Exception {
        LegacyZoo.Cell cell = zoo.cell(backendName());
        if (cell.needsOptIn()) {
            return; // the probe tries JVM-wide opt-ins only when asked (JsseLegacyOptInTest)
        }
        try (LegacyZoo.ZooServer server = zoo.start(dir)) {
            dev.tlsupgrade.probe.TlsProbe.Builder probe = dev.tlsupgrade.probe.TlsProbe.of("localhost", server.port())
                    .attemptTimeout(Duration.ofSeconds(3)).addresses(Loopback.v4()).preamble(server.preamble());
            if (zoo.selfSigned()) {
                probe.knownHosts(dir.resolve("probe_known_hosts"));
            } else {
                probe.trustedCertificates(TestPki.get().caPem());
            }
            dev.tlsupgrade.probe.ProbeReport report = probe.build().run();
            java.util.Optional<dev.tlsupgrade.probe.ProbeResult> rec = report.recommendation().filter(
                    dev.tlsupgrade.probe.ProbeResult::ok);
            if (cell.outcome() != LegacyZoo.Cell.Outcome.REACHED) {
                // Behind the middlebox only the fallback signal tells a modern server from an old one.
                boolean signals = TlsBackends.get(backendName()).capabilities().has(dev.tlsupgrade.TlsFeature.FALLBACK_SCSV);
                if (zoo == LegacyZoo.SSL_3_ONLY || zoo == LegacyZoo.DOWNGRADE_MIDDLEBOX && signals) {
                    assertThat(rec).as(report.toTable()).isEmpty();
                    assertThat(report.toTable()).doesNotContain("allowLegacyProtocols");
                }
                return;
            }
            assertThat(rec).as(zoo + " on " + backendName() + ":\n" + report.toTable()).isPresent();
            if (zoo == LegacyZoo.TLS_1_3_INTOLERANT) {
                assertThat(report.toTable()).as("no legacy advice where TLS 1.2 works").doesNotContain("allowLegacyProtocols");
            }
            dev.tlsupgrade.probe.ProbeResult r = rec.orElseThrow();
            if (!cell.text().contains("allowLegacyProtocols")) {
                assertThat(r.usedConfig().orElseThrow().protocols()).as(report.toTable())
                        .noneMatch(TlsVersion::isLegacy);
            }
            try (TlsUpgrader upgrader = TlsBackends.get(r.backend()).newUpgrader(r.usedConfig().orElseThrow());
                    SSLSocket tls = upgrader.upgrade(server.connect(), "localhost", server.port())) {
                server.assertDataCrosses(tls);
            }
        }
    }
}
