package dev.tlsupgrade.benchmarks;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
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
 * Resumed handshakes: every connection to the same host name, after checking on the wire that the
 * second connection really resumed (the trial fails otherwise). bctls is absent: its capabilities
 * do not claim session resumption. A byte is echoed before closing, which is how TLS 1.3's tickets
 * get read.
 */
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 3, time = 2)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Resumption extends Connections {
    static final String HOST = "resume.bench.test";

    @Param({"jsse", "openssl", "conscrypt"})
    public String backend;

    @Setup
    public void start() throws IOException, GeneralSecurityException {
        start(backend, aes128Gcm(tlsVersion()), BenchServer.Mode.ECHO);
        if (!client.resumes(server.port(), HOST)) {
            throw new IllegalStateException(backend + " " + path + " " + version + ": the second connection did not resume");
        }
    }

    @Benchmark
    public void resumedHandshake() throws IOException {
        try (SSLSocket s = client.connect(server.port(), HOST)) {
            Client.exchangeByte(s);
        }
    }
}
