package dev.tlsupgrade.openssl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.testing.ChildJvm;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(180)
class OpenSslBackendTest {
    @TempDir
    Path dir;

    @Test
    void withoutItsNativeLibraryOpensslIsListedAsUnavailableAndJsseStillWorks() throws Exception {
        ChildJvm.Result r = ChildJvm.withoutNativeLibraries("openssl", "netty-tcnative-boringssl-static", dir);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("BACKEND openssl available=false cause=java.lang.IllegalArgumentException",
                "BACKEND jsse available=true", "GET backend 'openssl' is present but cannot load here",
                "Failed to load any of the given libraries", "JSSE TLSv1.3");
    }
}
