package dev.tlsupgrade.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.FaultSweep;
import dev.tlsupgrade.testing.JvmStateGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault sweep ({@link FaultSweep}) on all four backends, TLS 1.2 and 1.3: each backend's
 * outcomes must be the ones the oracle derives from the bytes, and the backends must agree class by
 * class. It lives here, where every backend is on the class path, so that the comparison sees them
 * all in one run. {@code -Dtlsupgrade.sweep=full} tries every byte (about 90 s per backend).
 */
@ExtendWith(JvmStateGuard.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultSweepTest {
    private final List<FaultSweep.Result> results = new ArrayList<>();

    static Stream<Arguments> backendsAndVersions() {
        return Stream.of("jsse", "bctls", "conscrypt", "openssl")
                .flatMap(b -> Stream.of(Arguments.of(b, TlsVersion.TLS_1_2), Arguments.of(b, TlsVersion.TLS_1_3)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndVersions")
    void everyFaultEndsInTheOneOutcomeItsEvidenceShows(String backend, TlsVersion version) throws Exception {
        FaultSweep.Result result = FaultSweep.run(backend, version, FaultSweep.fullRequested());
        System.out.print(result.report());
        results.add(result);
        assertThat(result.wrong()).as(result.report() + "\nwrong outcomes (" + result.wrong().size() + ")").isEmpty();
    }

    @AfterAll
    void theBackendsAgreeClassByClass() {
        assertThat(results).as("every backend and version swept").hasSize(8);
        assertThat(FaultSweep.compare(results)).as("fault classes where the backends' outcomes differ").isEmpty();
    }
}
