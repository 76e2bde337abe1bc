package dev.tlsupgrade.conscrypt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.testing.ChildJvm;
import dev.tlsupgrade.testing.JsseTestServer;
import dev.tlsupgrade.testing.Loopback;
import dev.tlsupgrade.testing.OpenSslServer;
import dev.tlsupgrade.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import javax.net.ssl.SSLSocket;
import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

@Timeout(180)
class ConscryptBackendTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TlsVersion.class, names = {"TLS_1_0", "TLS_1_1"})
    void theProcessWideOptInBringsBackLegacyVersions(TlsVersion version) throws Exception {
        try (OpenSslServer server = OpenSslServer.builder().version(version).start()) {
            ChildJvm.Result r = ChildJvm.run(LegacyOptInMain.class, String.valueOf(server.port()), version.jsseName(),
                    TestPki.get().caPem().toString());
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output()).contains("BEFORE NEEDS_GLOBAL_OPT_IN", "AFTER SUPPORTED",
                    "NEGOTIATED " + version.jsseName() + " ", "WHOLE process");
        }
    }

    @Test
    void itsDefaultClientHelloCarriesAPostQuantumShareLargerThanOnePacket() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start();
                SSLSocket tls = TlsBackends.get("conscrypt")
                        .newUpgrader(TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem()).build())
                        .upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost", server.port())) {
            assertThat(TlsHandshakeInfo.of(tls).orElseThrow().clientHelloSize()).isGreaterThan(1400);
        }
    }

    @Test
    void withoutItsNativeLibraryConscryptIsListedAsUnavailableAndJsseStillWorks() throws Exception {
        Path conscryptJar = Path.of(Conscrypt.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path stripped = dir.resolve("conscrypt-without-native.jar");
        copyWithoutNativeLibraries(conscryptJar, stripped);
        ChildJvm.Result r = ChildJvm.run(WithoutNativeLibraryMain.class, cp -> {
            List<Path> out = new ArrayList<>();
            for (Path p : cp) {
                out.add(p.equals(conscryptJar) ? stripped : p);
            }
            return out;
        });
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("BACKEND conscrypt available=false cause=java.lang.UnsatisfiedLinkError",
                "BACKEND jsse available=true", "GET backend 'conscrypt' is on the class path but cannot load here",
                "JSSE TLSv1.3");
    }

    private static void copyWithoutNativeLibraries(Path from, Path to) throws IOException {
        try (InputStream raw = Files.newInputStream(from); JarInputStream in = new JarInputStream(raw);
                OutputStream rawOut = Files.newOutputStream(to);
                JarOutputStream out = in.getManifest() == null ? new JarOutputStream(rawOut)
                        : new JarOutputStream(rawOut, in.getManifest())) {
            JarEntry e;
            while ((e = in.getNextJarEntry()) != null) {
                if (e.getName().startsWith("META-INF/native/")) {
                    continue;
                }
                out.putNextEntry(new JarEntry(e.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
        }
    }
}
