package dev.tlsupgrade.benchmarks;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full handshakes: a new connection to a new host name each time, so nothing resumes, against a
 * server of the backend's kind; a byte is echoed before closing, as in {@link Resumption}.
 */
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 3, time = 2)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Handshakes extends Connections {
    @Param({"jsse", "openssl", "conscrypt", "bctls"})
    public String backend;

    private final AtomicLong names = new AtomicLong();

    @Setup
    public void start() throws IOException, GeneralSecurityException {
        start(backend, aes128Gcm(tlsVersion()), BenchServer.Mode.ECHO);
    }

    @Benchmark
    public void fullHandshake() throws IOException {
        try (SSLSocket s = client.connect(server.port(), "h" + names.incrementAndGet() + ".bench.test")) {
            Client.exchangeByte(s);
        }
    }
}
