package dev.tlsupgrade.benchmarks;

import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.JsseTestServer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Every backend through tlsupgrade and through its raw provider, against in-process JDK servers on
 * loopback that accept only AES-128-GCM, so all are compared on one cipher: full handshakes (a new
 * host name each time, so nothing resumes), one-direction bulk data in 16 KiB writes, and 64-byte
 * request/response round trips.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TlsBenchmarks {
    /** Bytes per bulk write. */
    static final int CHUNK = 16 * 1024;
    /** Writes per bulk invocation: 16 MiB. */
    static final int CHUNKS = 1024;

    @Param({"jsse", "openssl", "conscrypt", "bctls"})
    public String backend;

    @Param({"TLSv1.2", "TLSv1.3"})
    public String version;

    @Param({"tlsupgrade", "raw"})
    public String path;

    private JsseTestServer echo;
    private JsseTestServer sink;
    private Client client;
    private SSLSocket bulk;
    private SSLSocket roundTrip;
    private DataInputStream roundTripIn;
    private final AtomicLong names = new AtomicLong();
    private final byte[] chunk = new byte[CHUNK];
    private final byte[] message = new byte[64];
    private final byte[] reply = new byte[64];

    @Setup(Level.Trial)
    public void start() throws Exception {
        TlsVersion v = TlsVersion.fromJsseName(version).orElseThrow();
        String suite = v == TlsVersion.TLS_1_3 ? "TLS_AES_128_GCM_SHA256" : "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
        echo = JsseTestServer.builder().protocols(version).cipherSuites(suite).unrecorded().start();
        sink = JsseTestServer.builder().protocols(version).cipherSuites(suite).unrecorded().discard().start();
        client = Client.create(backend, path, v);
        bulk = client.connect(sink.port(), "bulk.bench.test");
        roundTrip = client.connect(echo.port(), "echo.bench.test");
        roundTripIn = new DataInputStream(roundTrip.getInputStream());
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        bulk.close();
        roundTrip.close();
        client.close();
        echo.close();
        sink.close();
    }

    /** One full handshake on a new connection, then close. */
    @Benchmark
    public String fullHandshake() throws IOException {
        try (SSLSocket s = client.connect(echo.port(), "h" + names.incrementAndGet() + ".bench.test")) {
            return s.getSession().getCipherSuite();
        }
    }

    /** 16 MiB one way in 16 KiB writes; the score counts writes (x 16 KiB = bytes). */
    @Benchmark
    @OperationsPerInvocation(CHUNKS)
    public void bulkWrite16KiB() throws IOException {
        OutputStream out = bulk.getOutputStream();
        for (int i = 0; i < CHUNKS; i++) {
            out.write(chunk);
        }
        out.flush();
    }

    /** A 64-byte request and its 64-byte echo. */
    @Benchmark
    public byte[] roundTrip64B() throws IOException {
        OutputStream out = roundTrip.getOutputStream();
        out.write(message);
        out.flush();
        roundTripIn.readFully(reply);
        return reply;
    }
}
