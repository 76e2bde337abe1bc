package dev.tlsupgrade.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.testing.ChildJvm;
import dev.tlsupgrade.testing.JsseTestServer;
import dev.tlsupgrade.testing.TestPki;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * tlsupgrade on the module path: a small application module that requires {@code dev.tlsupgrade.core}
 * alone is compiled and run with core, one backend and that backend's libraries as modules; the
 * backend is found by service binding. Only tcnative's native jar has to be named with
 * {@code --add-modules}: no module requires it by name, as the README's Install section says.
 */
@Timeout(120)
class ModulePathTest {
    private static final Pattern COMMON = Pattern.compile("slf4j-api|slf4j-simple|[/\\\\]core[/\\\\]target|tlsupgrade-core");

    private static Pattern libraries(String backend) {
        switch (backend) {
            case "jsse":
                return Pattern.compile("tlsupgrade-backend-jsse|backend-jsse[/\\\\]target");
            case "openssl":
                return Pattern.compile("tlsupgrade-backend-openssl|backend-openssl[/\\\\]target|netty-");
            case "conscrypt":
                return Pattern.compile("tlsupgrade-backend-conscrypt|backend-conscrypt[/\\\\]target|conscrypt-openjdk");
            case "bctls":
                return Pattern.compile("tlsupgrade-backend-bctls|backend-bctls[/\\\\]target|bcprov|bctls|bcutil");
            default:
                throw new IllegalArgumentException(backend);
        }
    }

    /** The module name of tcnative's native jar for this machine, e.g. io.netty.internal.tcnative.openssl.linux.x86_64. */
    private static String tcnativeNativeModule() {
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64"
                : System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : System.getProperty("os.arch");
        return "io.netty.internal.tcnative.openssl." + System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT)
                + "." + arch;
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jsse", "openssl", "conscrypt", "bctls"})
    void anApplicationOnTheModulePathUpgradesWith(String backend) throws Exception {
        String output = run(backend, backend.equals("openssl"));
        assertThat(output).contains("MODULE tlsupgrade.app core dev.tlsupgrade.core", "UPGRADED " + backend + " TLSv1.3");
    }

    @org.junit.jupiter.api.Test
    void withoutTcnativesNativeModuleOpensslSaysWhatToAdd() throws Exception {
        String output = run("openssl", false);
        assertThat(output).contains("backend 'openssl' is present but cannot load here",
                "start java with --add-modules " + tcnativeNativeModule())
                .doesNotContain("class path").doesNotContain("Suppressed");
    }

    /** Compiles and runs the application with {@code backend}; returns what it printed. */
    private String run(String backend, boolean addNativeModule) throws Exception {
        List<Path> classPath = ChildJvm.classPath();
        List<Path> modules = classPath.stream()
                .filter(p -> !p.toString().contains("test-classes"))
                .filter(p -> COMMON.matcher(p.toString()).find() || libraries(backend).matcher(p.toString()).find())
                .collect(Collectors.toList());
        assertThat(modules).as("core, slf4j and the backend on " + classPath).hasSizeGreaterThanOrEqualTo(4);

        Path app = dir.resolve("app");
        Path source = Path.of("src/test/resources/modular-app");
        List<String> javac = new ArrayList<>(List.of("-d", app.toString(), "--module-path", join(modules)));
        try (Stream<Path> files = Files.walk(source)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> javac.add(f.toString()));
        }
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, javac.toArray(new String[0])))
                .as("javac of the application module").isZero();

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", app + File.pathSeparator + join(modules)));
        if (addNativeModule) {
            command.add("--add-modules=" + tcnativeNativeModule());
        }
        try (JsseTestServer server = JsseTestServer.builder().start()) {
            command.addAll(List.of("-m", "tlsupgrade.app/tlsupgrade.app.Main", backend, String.valueOf(server.port()),
                    TestPki.get().caPem().toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String join(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
}
