package dev.tlsupgrade.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class TlsUpgradeCliTest {

    /** {exit code, standard output, standard error} of one run. */
    private static String[] run(String... args) throws Exception {
        CliRun r = CliRun.of(args);
        return new String[] {String.valueOf(r.code()), r.out(), r.err()};
    }

    @Test
    void theDemoReachesTheModernServersAndExplainsTheLegacyOne() throws Exception {
        String[] r = run("demo");
        assertThat(r[0]).isEqualTo("0");
        String table = r[1];
        assertThat(table).containsPattern("jsse +TLS 1\\.3 \\(in-process JSSE\\) +default +ok +TLSv1\\.3 +TLS_");
        assertThat(table).containsPattern("jsse +TLS 1\\.2 \\(in-process JSSE\\) +default +ok +TLSv1\\.2 +TLS_");
        assertThat(table).containsPattern("jsse +TLS 1\\.0 only \\(in-process Bouncy Castle\\) +default +PROTOCOL_VERSION");
        assertThat(table).contains("allowLegacyProtocols()");
        assertThat(table).containsPattern("jsse +TLS 1\\.0 only \\(in-process Bouncy Castle\\) +legacy allowed +refused before connecting");
        assertThat(table).contains("JsseBackend.enableLegacyProtocolsGlobally()");
        assertThat(table).containsPattern("conscrypt +TLS 1\\.3 \\(in-process JSSE\\) +default +ok +TLSv1\\.3 +TLS_");
        assertThat(table).contains("ConscryptBackend.enableLegacyProtocolsGlobally()");
        assertThat(table).containsPattern("bctls +TLS 1\\.0 only \\(in-process Bouncy Castle\\) +legacy allowed +ok +TLSv1 +TLS_");
        assertThat(table).containsPattern("openssl +TLS 1\\.0 only \\(in-process Bouncy Castle\\) +legacy allowed +ok +TLSv1 +TLS_");
    }

    @Test
    void unknownCommandsAndMissingOnesAreUsageErrors() throws Exception {
        assertThat(run()[0]).isEqualTo("2");
        String[] r = run("frobnicate");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("unknown command 'frobnicate'", "usage:");
        assertThat(run("--help")[1]).contains("demo");
    }
}
