package dev.tlsupgrade.benchmarks;

import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.Identity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;

/**
 * What the paired comparison measures, each as an operation one path repeats for a block of time:
 * full handshakes (a fresh name each, so nothing resumes), resumed handshakes (one name; resumption
 * checked first), bulk 16 KiB writes on AES-128-GCM, 64-byte round trips; each against the provider
 * used directly, and some against another anchor ({@link #anchor}: the provider's own engine,
 * Netty's pipeline, plain TCP). Bulk and round-trip blocks each run on a new connection whose handshake is not timed: a
 * connection kept for a whole row carries whatever is particular to it (its buffers, its server
 * thread) into every pair; so measured, two paths running the very same stream code came out 8%
 * apart (conscrypt TLS 1.3 bulk, 1.085 [1.023, 1.145]).
 */
enum Workload {
    FULL_HANDSHAKE("full handshakes", "handshakes/s"),
    RESUMED_HANDSHAKE("resumed handshakes", "handshakes/s"),
    BULK("bulk 16 KiB writes, AES-128-GCM", "MiB/s"),
    ROUND_TRIP("64-byte round trips", "round trips/s"),
    /** Full handshakes through an SSLEngine: core's engine against the provider's, in the same engine loop. */
    ENGINE_FULL_HANDSHAKE("full handshakes through an SSLEngine", "handshakes/s"),
    /** Bulk through an SSLEngine: core's engine against the provider's, in the same engine loop. */
    ENGINE_BULK("bulk 16 KiB writes through an SSLEngine, AES-128-GCM", "MiB/s"),
    /** openssl only: tlsupgrade's socket against Netty's own SslHandler pipeline on the same tcnative. */
    NETTY_FULL_HANDSHAKE("full handshakes, against Netty's SslHandler (openssl only)", "handshakes/s"),
    /** openssl only: bulk through tlsupgrade's socket against Netty's own SslHandler pipeline. */
    NETTY_BULK("bulk 16 KiB writes, AES-128-GCM, against Netty's SslHandler (openssl only)", "MiB/s"),
    /** openssl only: resumed handshakes through tlsupgrade's socket against Netty's own SslHandler pipeline. */
    NETTY_RESUMED_HANDSHAKE("resumed handshakes, against Netty's SslHandler (openssl only)", "handshakes/s"),
    /** openssl only: 64-byte round trips through tlsupgrade's socket against Netty's own SslHandler pipeline. */
    NETTY_ROUND_TRIP("64-byte round trips, against Netty's SslHandler (openssl only)", "round trips/s"),
    /** Bulk through tlsupgrade's socket against the same writes over plain TCP, no TLS: the machine's ceiling. */
    PLAIN_BULK("bulk 16 KiB writes, AES-128-GCM, against plain TCP", "MiB/s"),
    /**
     * As {@link #PLAIN_BULK}, with the 64 writes of each round gathered into one 1 MiB write by a
     * BufferedOutputStream on both paths, as an application that can batch its output does.
     */
    PLAIN_BULK_BATCHED("bulk 1 MiB writes (64 x 16 KiB, buffered), AES-128-GCM, against plain TCP", "MiB/s");

    private static final AtomicLong NAMES = new AtomicLong();
    static final int CHUNK = 16 * 1024;

    final String title;
    final String unit;

    Workload(String title, String unit) {
        this.title = title;
        this.unit = unit;
    }

    /**
     * Whether the two paths are engines (core's from {@code sslContext()}, the provider's own) driven by
     * one engine loop, core's {@code EngineSocket}, rather than sockets.
     */
    boolean engine() {
        return this == ENGINE_FULL_HANDSHAKE || this == ENGINE_BULK;
    }

    /** Whether the raw path is Netty's own client pipeline ({@link NettyAnchor}): rows for openssl only. */
    boolean netty() {
        return this == NETTY_FULL_HANDSHAKE || this == NETTY_BULK || this == NETTY_RESUMED_HANDSHAKE || this == NETTY_ROUND_TRIP;
    }

    /** Whether this workload writes 16 KiB chunks for a block. */
    boolean bulk() {
        return this == BULK || this == ENGINE_BULK || this == NETTY_BULK || this == PLAIN_BULK || this == PLAIN_BULK_BATCHED;
    }

    /** Whether each round of 64 chunks goes out as one write (a BufferedOutputStream flushed per round). */
    boolean batched() {
        return this == NETTY_BULK || this == PLAIN_BULK_BATCHED;
    }

    /**
     * The server this workload needs: discarding for bulk, echoing otherwise. It allows AES-128-GCM
     * only, so both paths negotiate the same suite whatever they offer: left to choose, the JDK's
     * server gave the two clients different suites (ChaCha20 to Bouncy Castle's defaults, AES-GCM to
     * core's policy), and a handshake row compared two ciphers' set-up costs.
     */
    BenchServer server(String backend, TlsVersion version, Identity id) throws Exception {
        return BenchServer.start(backend, version, Connections.aes128Gcm(version, id),
                bulk() ? BenchServer.Mode.DISCARD : BenchServer.Mode.ECHO, id);
    }

    /** One path's side of this workload against {@code port}, ready to run blocks. */
    Side side(Client client, int port, TlsVersion version) throws IOException {
        if (!bulk()) {
            // bulk blocks check every connection; the others check one, so that both paths' rows are AES-128-GCM's
            onPinnedSuite(client.connect(port, freshName()), version).close();
        }
        switch (this) {
            case FULL_HANDSHAKE, ENGINE_FULL_HANDSHAKE, NETTY_FULL_HANDSHAKE:
                return blockNanos -> count(blockNanos, () -> {
                    try (SSLSocket s = client.connect(port, freshName())) {
                        Client.exchangeByte(s);
                    }
                });
            case RESUMED_HANDSHAKE, NETTY_RESUMED_HANDSHAKE:
                if (!client.resumes(port, Resumption.HOST)) {
                    throw new IllegalStateException("the second connection to " + Resumption.HOST + " did not resume: "
                            + "a resumed row would measure full handshakes");
                }
                return blockNanos -> count(blockNanos, () -> {
                    try (SSLSocket s = client.connect(port, Resumption.HOST)) {
                        Client.exchangeByte(s);
                    }
                });
            case BULK, ENGINE_BULK, NETTY_BULK, PLAIN_BULK, PLAIN_BULK_BATCHED: {
                return new Side() {
                    @Override
                    public double rate(long blockNanos) throws IOException {
                        try (SSLSocket s = bulkConnection(client, port, version)) {
                            return writeFor(s.getOutputStream(), batched(), blockNanos);
                        }
                    }

                    @Override
                    public String streams() throws IOException {
                        try (SSLSocket s = bulkConnection(client, port, version)) {
                            return streamClasses(s);
                        }
                    }
                };
            }
            case ROUND_TRIP, NETTY_ROUND_TRIP: {
                byte[] message = new byte[64];
                byte[] echo = new byte[64];
                return new Side() {
                    @Override
                    public double rate(long blockNanos) throws IOException {
                        try (SSLSocket s = client.connect(port, "rtt.bench.test")) {
                            OutputStream out = s.getOutputStream();
                            InputStream in = s.getInputStream();
                            return count(blockNanos, () -> {
                                out.write(message);
                                out.flush();
                                int got = 0;
                                while (got < echo.length) {
                                    int n = in.read(echo, got, echo.length - got);
                                    if (n < 0) {
                                        throw new IOException("the echo server closed the connection");
                                    }
                                    got += n;
                                }
                            });
                        }
                    }

                    @Override
                    public String streams() throws IOException {
                        try (SSLSocket s = client.connect(port, "rtt.bench.test")) {
                            return streamClasses(s);
                        }
                    }
                };
            }
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * The side tlsupgrade is compared with: the provider's own ({@code raw}), Netty's pipeline for the
     * Netty rows, plain TCP for the plain rows.
     */
    Side anchor(Client raw, int port, TlsVersion version) throws Exception {
        if (netty()) {
            return new NettyAnchor(this, port, version, dev.tlsupgrade.testing.TestPki.get().caPem());
        }
        return this == PLAIN_BULK || this == PLAIN_BULK_BATCHED ? new PlainTcpBulk(batched()) : side(raw, port, version);
    }

    /**
     * Writes 16 KiB chunks to {@code stream}, 64 a round, until {@code blockNanos} have passed, and
     * says how many MiB a second went. {@code batched}: each round goes out as one write, through a
     * BufferedOutputStream, as Netty's side writes 64 chunks and flushes them together.
     */
    static double writeFor(OutputStream stream, boolean batched, long blockNanos) throws IOException {
        OutputStream out = batched ? new java.io.BufferedOutputStream(stream, 64 * CHUNK) : stream;
        byte[] chunk = new byte[CHUNK];
        long start = System.nanoTime();
        long end = start + blockNanos;
        long bytes = 0;
        do {
            for (int i = 0; i < 64; i++) {
                out.write(chunk);
            }
            bytes += 64L * CHUNK;
        } while (System.nanoTime() < end);
        out.flush();
        return bytes / (1024.0 * 1024.0) / ((System.nanoTime() - start) / 1e9);
    }

    /** A name under {@code *.bench.test} no connection of this JVM used before: nothing can resume. */
    static String freshName() {
        return "h" + NAMES.incrementAndGet() + ".bench.test";
    }

    /** One repetition of what a block measures. */
    interface Operation<E extends Exception> {
        void run() throws E;
    }

    /** Repeats {@code op} for {@code blockNanos} and says how many times a second it ran. */
    static <E extends Exception> double count(long blockNanos, Operation<E> op) throws E {
        long start = System.nanoTime();
        long end = start + blockNanos;
        long n = 0;
        do {
            op.run();
            n++;
        } while (System.nanoTime() < end);
        return n / ((System.nanoTime() - start) / 1e9);
    }

    /** A connection for one bulk block, on the pinned suite. */
    private static SSLSocket bulkConnection(Client client, int port, TlsVersion version) throws IOException {
        return onPinnedSuite(client.connect(port, "bulk.bench.test"), version);
    }

    /** {@code s} if it negotiated AES-128-GCM, the one suite every workload's server allows; else it is closed and refused. */
    private static SSLSocket onPinnedSuite(SSLSocket s, TlsVersion version) throws IOException {
        String suite = s.getSession().getCipherSuite();
        if (!suite.equals(Connections.aes128Gcm(version)) && !suite.equals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
            s.close();
            throw new IllegalStateException("negotiated " + suite + ", not the server's pinned AES-128-GCM");
        }
        return s;
    }

    private static String streamClasses(SSLSocket s) throws IOException {
        return s.getInputStream().getClass().getName() + " / " + s.getOutputStream().getClass().getName();
    }

    /** One path doing this workload: repeats the operation for a block and says how fast it went. */
    interface Side extends AutoCloseable {
        double rate(long blockNanos) throws IOException;

        /**
         * The classes of the streams the workload reads and writes after the handshake, or null
         * where it opens a connection per operation: two paths with the same classes run the same
         * code per read and write.
         */
        default String streams() throws IOException {
            return null;
        }

        @Override
        default void close() throws IOException {
        }
    }
}
