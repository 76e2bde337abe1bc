package dev.tlsupgrade.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One-direction bulk data in 16 KiB writes to a discarding server of the backend's kind, on
 * AES-128-GCM (all backends on one cipher) and on the suite the two sides choose by default.
 */
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Bulk extends Connections {
    /** Bytes per write. */
    static final int CHUNK = 16 * 1024;
    /** Writes per invocation: 16 MiB. */
    static final int CHUNKS = 1024;

    @Param({"jsse", "openssl", "conscrypt", "bctls"})
    public String backend;

    /** {@code AES_128_GCM} pinned on the server, or {@code default}: whatever the two sides agree. */
    @Param({"AES_128_GCM", "default"})
    public String suite;

    private final byte[] chunk = new byte[CHUNK];

    @Setup
    public void start() throws IOException, GeneralSecurityException {
        String pinned = suite.equals("default") ? null : aes128Gcm(tlsVersion());
        start(backend, pinned, BenchServer.Mode.DISCARD);
        connection = client.connect(server.port(), "bulk.bench.test");
        String negotiated = connection.getSession().getCipherSuite();
        if (pinned != null && !pinned.equals(negotiated)) {
            throw new IllegalStateException(backend + " " + path + " negotiated " + negotiated + ", not " + pinned);
        }
    }

    @Benchmark
    @OperationsPerInvocation(CHUNKS)
    public void bulkWrite16KiB() throws IOException {
        OutputStream out = connection.getOutputStream();
        for (int i = 0; i < CHUNKS; i++) {
            out.write(chunk);
        }
        out.flush();
    }
}
