package dev.tlsupgrade.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.TlsVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How profiled samples are attributed, and that a profiled pair of paths yields RESULTS.md's breakdown table. */
class CpuBreakdownTest {
    @Test
    void aSampleCountsForTheNearestRecognisedFrameAndItsThreadsRole() {
        CpuBreakdown b = new CpuBreakdown().add(String.join("\n",
                // a copy inside BoringSSL under core's engine socket is a copy, not core
                "[main tid=1];dev/tlsupgrade/internal/socket/EngineSocket.write;SSL_write;__memmove_avx_unaligned 5",
                // kernel leaves count by the system call beneath them
                "[main tid=1];java/net/Socket.write;entry_SYSCALL_64_[k];ksys_write_[k];tcp_sendmsg_[k];_copy_from_iter_[k] 7",
                "[bench-server-conn tid=2];sun/nio/ch/NioSocketImpl.read;ksys_read_[k];tcp_recvmsg_[k];_copy_to_iter_[k] 3",
                // a signature check inside core's trust decision is public-key crypto
                "[main tid=1];dev/tlsupgrade/internal/trust/TrustDecision.check;java/security/Signature.verify;"
                        + "sun/security/rsa/RSACore.crypt;java/math/MutableBigInteger.mulsub 4",
                "[main tid=1];dev/tlsupgrade/internal/trust/TrustDecision.check;java/util/HashMap.get 2",
                "[C2 CompilerThread0 tid=3];Compile::Compile 11",
                "[bench-server-conn tid=2];aes_gcm_dec_update_vaes_avx512 6"));
        assertThat(b.samples(CpuBreakdown.Role.CALLER, CpuBreakdown.Category.COPIES)).isEqualTo(5);
        assertThat(b.samples(CpuBreakdown.Role.CALLER, CpuBreakdown.Category.KERNEL_SEND)).isEqualTo(7);
        assertThat(b.samples(CpuBreakdown.Role.SERVER, CpuBreakdown.Category.KERNEL_RECEIVE)).isEqualTo(3);
        assertThat(b.samples(CpuBreakdown.Role.CALLER, CpuBreakdown.Category.PUBLIC_KEY)).isEqualTo(4);
        assertThat(b.samples(CpuBreakdown.Role.CALLER, CpuBreakdown.Category.CORE_TRUST)).isEqualTo(2);
        assertThat(b.samples(CpuBreakdown.Role.SERVER, CpuBreakdown.Category.AES_GCM)).isEqualTo(6);
        assertThat(b.total(CpuBreakdown.Role.JVM)).isEqualTo(11);
        assertThat(b.total(CpuBreakdown.Role.CALLER)).isEqualTo(18);
        String table = CpuBreakdown.table("tlsupgrade", b, 2, "raw", new CpuBreakdown(), 1, "GiB", true);
        assertThat(table).contains("| CPU ms per GiB | tlsupgrade, caller | raw, caller | tlsupgrade, server | raw, server |",
                "| memory copies in user space | 2.50 | 0.00 | 0.00 | 0.00 |", "| **all** | **9.00** | **0.00** | **4.50** | **0.00** |");
        assertThat(CpuBreakdown.table("tlsupgrade", b, 1, "raw", b, 1, "handshake", false))
                .contains("| CPU ms per handshake | tlsupgrade, caller | raw, caller |\n|---|---|---|\n",
                        "| **all** | **18.00** | **18.00** |\n")
                .doesNotContain("server");
    }

    /** The profiler loads in-process and sees BoringSSL's own frames (its library is read as it loads). */
    @Test
    @Timeout(120)
    void aProfiledPairBreaksTheBulkPathDown() throws Exception {
        String table = ProfileWorkload.run("openssl", TlsVersion.TLS_1_3, Workload.PLAIN_BULK, 1);
        assertThat(table).contains("bulk 16 KiB writes, AES-128-GCM, against plain TCP: tlsupgrade",
                "| CPU ms per GiB | tlsupgrade, caller | plain TCP, caller |");
        assertThat(table).containsPattern("\\| AES-GCM \\(record encryption\\) \\| [1-9][0-9.]* \\| 0\\.00 \\|");
    }
}
