package dev.tlsupgrade.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.TlsBackends;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README says what the code does: its capability and diagnostics tables are generated, not
 * typed, and its speed tables are the latest benchmark run's.
 */
class ReadmeTest {
    private static final String BEGIN = "<!-- capabilities:begin (java -jar examples/target/tlsupgrade.jar capabilities) -->\n";
    private static final String END = "<!-- capabilities:end -->";
    private static final String DIAGNOSTICS_BEGIN =
            "<!-- diagnostics:begin (java -jar examples/target/tlsupgrade.jar diagnostics bctls) -->\n";
    private static final String DIAGNOSTICS_END = "<!-- diagnostics:end -->";
    private static final String BENCHMARKS_BEGIN = "<!-- benchmarks:begin (copied from benchmarks/RESULTS.md) -->\n";
    private static final String BENCHMARKS_END = "<!-- benchmarks:end -->";

    /** The README's text between two markers (which must be there). */
    private static String between(String readme, String begin, String end) {
        int from = readme.indexOf(begin);
        assertThat(from).as("README has the marker " + begin.strip()).isNotNegative();
        int to = readme.indexOf(end, from + begin.length());
        assertThat(to).as("README has the marker " + end.strip() + " after " + begin.strip()).isNotNegative();
        return readme.substring(from + begin.length(), to);
    }

    /**
     * The Install section is what {@code test-install} checks on an empty local repository: one shell
     * command that installs this checkout, then the BOM import and a backend in the XML a user pastes.
     */
    @Test
    void theInstallSectionIsWhatTestInstallChecks() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String install = between(readme, "## Install\n", "\n## ");
        String command = between(install, "```shell\n", "\n```");
        assertThat(command).startsWith("mvn ").contains(" install ").doesNotContain("\n");
        String xml = between(install, "```xml\n", "```");
        assertThat(xml).contains("<artifactId>tlsupgrade-bom</artifactId>", "<scope>import</scope>",
                "<artifactId>tlsupgrade-backend-openssl</artifactId>");
        // the same extraction test-install makes: the first shell and xml blocks of the section
        String script = Files.readString(Path.of("..", "test-install"));
        assertThat(script).contains("/^## Install/", "/^```shell$/", "/^```xml$/", "$install -Dmaven.repo.local=");
    }

    /**
     * The quick start's test command is what CI runs, and it installs every package a test's server
     * launcher asks for (each names its package when the server is missing).
     */
    @Test
    void theTestCommandIsWhatCiRunsAndInstallsWhatTheTestsNeed() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String quickStart = between(readme, "## Quick start\n\n```\n", "```");
        String testCommand = quickStart.lines().skip(1).findFirst().orElseThrow();
        assertThat(testCommand).isEqualTo("./test");
        assertThat(Files.readString(Path.of("..", ".ci", "run")).strip()).endsWith("exec " + testCommand);
        String script = Files.readString(Path.of("..", "test"));
        java.util.Set<String> packages = new java.util.TreeSet<>();
        java.util.regex.Pattern asked = java.util.regex.Pattern.compile(
                "apt-get install ([a-z0-9-]+)|Path\\.of\\(\"[^\"]+\"\\), \"([a-z0-9-]+)\", dir");
        try (java.util.stream.Stream<Path> files = Files.walk(Path.of("..", "testing", "src", "main", "java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                java.util.regex.Matcher m = asked.matcher(Files.readString(f));
                while (m.find()) {
                    packages.add(m.group(1) != null ? m.group(1) : m.group(2));
                }
            }
        }
        assertThat(packages).as("packages the launchers ask for").contains("xrdp", "gnutls-bin", "nginx-light");
        for (String p : packages) {
            assertThat(script).as("./test installs " + p).contains("need_apt+=(" + p + ")");
        }
    }

    /** The first snippet, with its imports, compiles as a reader would paste it. */
    @Test
    void theOpeningSnippetCompilesWithItsImports(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int from = readme.indexOf("```java\n") + "```java\n".length();
        String snippet = readme.substring(from, readme.indexOf("```", from));
        assertThat(snippet).startsWith("import ");
        PastedSnippet.compiles(snippet, dir);
    }

    @Test
    void theCapabilityTableIsTheOneTheCodeReports() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertThat(between(readme, BEGIN, END)).as("README's capability table; regenerate it with the capabilities command")
                .isEqualTo(CapabilityTable.markdown());
    }

    private static final String ZOO_BEGIN = "<!-- legacy-zoo:begin (LegacyZoo.markdown(); LegacyZooContract proves each cell) -->\n";
    private static final String ZOO_END = "<!-- legacy-zoo:end -->";

    @Test
    void theLegacyZooMatrixIsTheOneTheContractsProve() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String shown = between(readme, ZOO_BEGIN, ZOO_END);
        String expected = dev.tlsupgrade.testing.LegacyZoo.markdown();
        if (Boolean.getBoolean("readme.update")) {
            Files.writeString(Path.of("..", "README.md"), readme.replace(ZOO_BEGIN + shown, ZOO_BEGIN + expected));
            return;
        }
        assertThat(shown).as("README's legacy zoo matrix; regenerate it with -Dreadme.update=true").isEqualTo(expected);
    }

    @Test
    void theDiagnosticsTableIsWhatTheBackendSays() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertThat(between(readme, DIAGNOSTICS_BEGIN, DIAGNOSTICS_END))
                .as("README's diagnostics table; regenerate it with the diagnostics command")
                .isEqualTo(DiagnosticsTour.markdown(TlsBackends.get("bctls")));
    }

    @Test
    void everyUseWithSnippetIsTheCompiledCode() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String source = Files.readString(Path.of("src/main/java/dev/tlsupgrade/examples/UseWith.java"));
        java.util.regex.Matcher inSource = java.util.regex.Pattern.compile("// use-with:([a-z0-9-]+)\n(.*?)\n\\s*// end",
                java.util.regex.Pattern.DOTALL).matcher(source);
        int found = 0;
        while (inSource.find()) {
            found++;
            String name = inSource.group(1);
            String code = inSource.group(2).stripIndent().strip();
            String marker = "<!-- use-with:" + name + " -->\n```java\n";
            int at = readme.indexOf(marker);
            assertThat(at).as("README shows the use-with:" + name + " snippet").isNotNegative();
            String shown = readme.substring(at + marker.length(), readme.indexOf("```", at + marker.length())).strip();
            assertThat(shown).as("README's use-with:" + name + " snippet; copy it from UseWith.java").isEqualTo(code);
        }
        assertThat(found).as("snippets in UseWith.java").isGreaterThanOrEqualTo(6);
    }

    @Test
    void theSpeedTablesAreTheLatestBenchmarkRunsTables() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String results = Files.readString(Path.of("..", "benchmarks", "RESULTS.md"));
        int begin = readme.indexOf(BENCHMARKS_BEGIN);
        int end = readme.indexOf(BENCHMARKS_END);
        assertThat(begin).as("README has the benchmarks markers").isNotNegative();
        String[] sections = readme.substring(begin + BENCHMARKS_BEGIN.length(), end).split("(?m)^(?=#### )");
        assertThat(sections).as("README shows benchmark tables").hasSizeGreaterThan(1);
        for (String section : sections) {
            if (!section.isBlank()) {
                // README's "#### title" is RESULTS.md's "## title"; the table under it must be the same
                assertThat(results).as("RESULTS.md has the README's section; copy it again after a run")
                        .contains(section.replaceFirst("^#### ", "## ").strip());
            }
        }
    }
}
