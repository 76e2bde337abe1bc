package dev.tlsupgrade.openssl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.testing.ChildJvm;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(180)
class OpenSslBackendTest {
    @TempDir
    Path dir;

    @Test
    void withoutItsNativeLibraryOpensslIsListedAsUnavailableAndJsseStillWorks() throws Exception {
        ChildJvm.Result r = ChildJvm.run(WithoutNativeLibraryMain.class, cp -> {
            List<Path> out = new ArrayList<>();
            for (Path p : cp) {
                boolean nativeJar = p.getFileName().toString().startsWith("netty-tcnative-boringssl-static");
                out.add(nativeJar ? stripped(p) : p);
            }
            return out;
        });
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("BACKEND openssl available=false cause=java.lang.IllegalArgumentException",
                "BACKEND jsse available=true", "GET backend 'openssl' is on the class path but cannot load here",
                "Failed to load any of the given libraries", "JSSE TLSv1.3");
    }

    private Path stripped(Path jar) {
        Path to = dir.resolve(jar.getFileName());
        try (InputStream raw = Files.newInputStream(jar); JarInputStream in = new JarInputStream(raw);
                OutputStream rawOut = Files.newOutputStream(to);
                JarOutputStream out = in.getManifest() == null ? new JarOutputStream(rawOut)
                        : new JarOutputStream(rawOut, in.getManifest())) {
            JarEntry e;
            while ((e = in.getNextJarEntry()) != null) {
                if (!e.getName().startsWith("META-INF/native/")) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return to;
    }
}
