package dev.tlsupgrade.benchmarks;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/** A 64-byte request and its 64-byte echo on one upgraded connection, on AES-128-GCM. */
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RoundTrip extends Connections {
    @Param({"jsse", "openssl", "conscrypt", "bctls"})
    public String backend;

    private DataInputStream in;
    private final byte[] message = new byte[64];
    private final byte[] reply = new byte[64];

    @Setup
    public void start() throws IOException, GeneralSecurityException {
        start(backend, aes128Gcm(tlsVersion()), BenchServer.Mode.ECHO);
        connection = client.connect(server.port(), "echo.bench.test");
        in = new DataInputStream(connection.getInputStream());
    }

    @Benchmark
    public byte[] roundTrip64B() throws IOException {
        OutputStream out = connection.getOutputStream();
        out.write(message);
        out.flush();
        in.readFully(reply);
        return reply;
    }
}
