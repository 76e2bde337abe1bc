package dev.tlsupgrade.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.TlsBackends;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README says what the code does: its capability table is generated, not typed. */
class ReadmeTest {
    private static final String BEGIN = "<!-- capabilities:begin (java -jar examples/target/tlsupgrade.jar capabilities) -->\n";
    private static final String END = "<!-- capabilities:end -->";
    private static final String DIAGNOSTICS_BEGIN =
            "<!-- diagnostics:begin (java -jar examples/target/tlsupgrade.jar diagnostics bctls) -->\n";
    private static final String DIAGNOSTICS_END = "<!-- diagnostics:end -->";

    @Test
    void theCapabilityTableIsTheOneTheCodeReports() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertThat(begin).as("README has the capabilities markers").isNotNegative();
        assertThat(readme.substring(begin + BEGIN.length(), end))
                .as("README's capability table; regenerate it with the capabilities command")
                .isEqualTo(CapabilityTable.markdown());
    }

    @Test
    void theDiagnosticsTableIsWhatTheBackendSays() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int begin = readme.indexOf(DIAGNOSTICS_BEGIN);
        int end = readme.indexOf(DIAGNOSTICS_END);
        assertThat(begin).as("README has the diagnostics markers").isNotNegative();
        assertThat(readme.substring(begin + DIAGNOSTICS_BEGIN.length(), end))
                .as("README's diagnostics table; regenerate it with the diagnostics command")
                .isEqualTo(DiagnosticsTour.markdown(TlsBackends.get("bctls")));
    }
}
