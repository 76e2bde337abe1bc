package dev.tlsupgrade.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A one-connection loopback proxy that does one harmful thing to one direction of a connection at
 * one byte offset, as a faulty link, a middlebox or an attacker would: close, reset, stall, flip a
 * bit, insert garbage, truncate a record, or trickle the bytes one at a time.
 *
 * <p>It keeps what each side sent (before the fault) and where each side's turns began, so that a
 * sweep can place faults at record boundaries and know which flight a byte belonged to.
 */
public final class FaultProxy implements AutoCloseable {
    /** What the proxy does when the stream reaches the planned offset. */
    public enum Fault {
        /** Forward everything unchanged. */
        NONE,
        /** Close both connections (FIN). */
        CLOSE,
        /** Reset both connections (RST). */
        RESET,
        /** Stop forwarding this direction, keep both connections open. */
        STALL,
        /** Flip one bit of the byte at the offset. */
        FLIP,
        /** Insert {@link #GARBAGE_BYTES} before the byte at the offset. */
        GARBAGE,
        /** The record that starts at the offset loses the second half of its body; its length field says so. */
        TRUNCATE,
        /** Forward this direction one byte at a time with a pause after each, from the offset on. */
        TRICKLE
    }

    /** Which side's bytes the fault applies to. */
    public enum Direction {
        TO_SERVER, TO_CLIENT
    }

    /** The 16 bytes {@link Fault#GARBAGE} inserts. */
    public static final byte[] GARBAGE_BYTES = {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x17, 0x03, 0x03,
        0x00, 0x05, 0x13, 0x37, 0x42, 0x00, (byte) 0xff, 0x7f, 0x01};

    /**
     * One fault: what, in which direction, at which byte offset of that direction's stream.
     *
     * @param bit the bit {@link Fault#FLIP} flips (0-7)
     * @param pause the pause after each byte for {@link Fault#TRICKLE}
     */
    public record Plan(Fault fault, Direction direction, long offset, int bit, Duration pause) {
        public Plan {
            Objects.requireNonNull(fault);
            Objects.requireNonNull(direction);
            Objects.requireNonNull(pause);
        }

        public static Plan none() {
            return new Plan(Fault.NONE, Direction.TO_CLIENT, Long.MAX_VALUE, 0, Duration.ZERO);
        }

        public static Plan at(Fault fault, Direction direction, long offset) {
            return new Plan(fault, direction, offset, (int) (offset % 8), Duration.ZERO);
        }

        public static Plan flip(Direction direction, long offset, int bit) {
            return new Plan(Fault.FLIP, direction, offset, bit, Duration.ZERO);
        }

        public static Plan trickle(Direction direction, Duration pause) {
            return new Plan(Fault.TRICKLE, direction, 0, 0, pause);
        }

        @Override
        public String toString() {
            return fault + " " + direction + " @" + offset + (fault == Fault.FLIP ? " bit " + bit : "")
                    + (fault == Fault.TRICKLE ? " pause " + pause.toMillis() + " ms" : "");
        }
    }

    private final ServerSocket listener;
    private final int targetPort;
    private final Plan plan;
    private final Object lock = new Object();
    private final ByteArrayOutputStream toServer = new ByteArrayOutputStream();
    private final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
    private final List<Long> serverTurns = new ArrayList<>();
    private final List<Long> clientTurns = new ArrayList<>();
    private Direction lastSender;
    private boolean applied;
    private Socket client;
    private Socket target;

    private FaultProxy(int targetPort, Plan plan) throws IOException {
        this.listener = new ServerSocket(0, 1, Loopback.v4());
        this.targetPort = targetPort;
        this.plan = plan;
        Thread t = new Thread(this::serve, "fault-proxy");
        t.setDaemon(true);
        t.start();
    }

    /** Listens on 127.0.0.1 and proxies the first connection to {@code 127.0.0.1:targetPort} with {@code plan}. */
    public static FaultProxy start(int targetPort, Plan plan) throws IOException {
        return new FaultProxy(targetPort, plan);
    }

    private void serve() {
        try {
            Socket c = listener.accept();
            Socket s = Loopback.connect(Loopback.v4(), targetPort);
            synchronized (lock) {
                client = c;
                target = s;
            }
            Thread up = pump(c.getInputStream(), s.getOutputStream(), Direction.TO_SERVER, s);
            pump(s.getInputStream(), c.getOutputStream(), Direction.TO_CLIENT, c);
            up.join();
        } catch (IOException e) {
            // closed: the trial is over
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Thread pump(InputStream in, OutputStream out, Direction direction, Socket to) {
        Thread t = new Thread(() -> {
            try {
                forward(in, out, direction);
                to.shutdownOutput();
            } catch (IOException ignored) {
                // one side is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fault-proxy-" + direction);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void forward(InputStream in, OutputStream out, Direction direction) throws IOException, InterruptedException {
        boolean mine = plan.direction() == direction && plan.fault() != Fault.NONE;
        boolean trickling = false;
        long pos = 0;
        boolean stalled = false;
        ByteArrayOutputStream held = null;
        byte[] buf = new byte[16384];
        int n;
        while ((n = in.read(buf)) > 0) {
            synchronized (lock) {
                if (lastSender != direction) {
                    (direction == Direction.TO_SERVER ? clientTurns : serverTurns).add(pos);
                    lastSender = direction;
                }
                (direction == Direction.TO_SERVER ? toServer : toClient).write(buf, 0, n);
            }
            long start = pos;
            pos += n;
            if (!mine || stalled) {
                if (!stalled) {
                    out.write(buf, 0, n);
                    out.flush();
                }
                continue;
            }
            if (held != null) {
                held.write(buf, 0, n);
                held = emitTruncated(held, out);
                mine = held != null;
                continue;
            }
            if (trickling) {
                trickle(buf, 0, n, out);
                continue;
            }
            if (pos <= plan.offset()) {
                out.write(buf, 0, n);
                out.flush();
                continue;
            }
            int k = (int) (plan.offset() - start);
            if (k > 0) {
                out.write(buf, 0, k);
                out.flush();
            }
            markApplied();
            mine = plan.fault() == Fault.STALL || plan.fault() == Fault.TRUNCATE;
            switch (plan.fault()) {
                case CLOSE -> {
                    closeBoth(false);
                    return;
                }
                case RESET -> {
                    closeBoth(true);
                    return;
                }
                case STALL -> stalled = true;
                case FLIP -> {
                    buf[k] ^= (byte) (1 << plan.bit());
                    out.write(buf, k, n - k);
                    out.flush();
                }
                case GARBAGE -> {
                    out.write(GARBAGE_BYTES);
                    out.write(buf, k, n - k);
                    out.flush();
                }
                case TRUNCATE -> {
                    held = new ByteArrayOutputStream();
                    held.write(buf, k, n - k);
                    held = emitTruncated(held, out);
                    mine = held != null;
                }
                case TRICKLE -> {
                    trickling = true;
                    mine = true;
                    trickle(buf, k, n, out);
                }
                case NONE -> throw new AssertionError();
            }
        }
    }

    private void trickle(byte[] buf, int from, int to, OutputStream out) throws IOException, InterruptedException {
        for (int i = from; i < to; i++) {
            out.write(buf[i]);
            out.flush();
            Thread.sleep(plan.pause().toMillis(), plan.pause().toNanosPart() % 1_000_000);
        }
    }

    /**
     * Writes the held record with half its body once it is complete, then whatever followed it, and
     * returns null; returns {@code held} while the record is still incomplete.
     */
    private static ByteArrayOutputStream emitTruncated(ByteArrayOutputStream held, OutputStream out) throws IOException {
        byte[] d = held.toByteArray();
        if (d.length < 5) {
            return held;
        }
        int len = ((d[3] & 0xff) << 8) | (d[4] & 0xff);
        if (d.length < 5 + len) {
            return held;
        }
        int kept = len / 2;
        byte[] header = {d[0], d[1], d[2], (byte) (kept >> 8), (byte) kept};
        out.write(header);
        out.write(d, 5, kept);
        out.write(d, 5 + len, d.length - 5 - len);
        out.flush();
        return null;
    }

    private void markApplied() {
        synchronized (lock) {
            applied = true;
        }
    }

    private void closeBoth(boolean reset) {
        Socket c;
        Socket s;
        synchronized (lock) {
            c = client;
            s = target;
        }
        for (Socket sock : new Socket[] {c, s}) {
            if (sock == null) {
                continue;
            }
            try {
                if (reset) {
                    sock.setSoLinger(true, 0);
                }
                sock.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** True once the stream reached the planned offset and the fault was done. */
    public boolean applied() {
        synchronized (lock) {
            return applied;
        }
    }

    /** Everything {@code direction}'s sender sent to the proxy so far, as sent (before any fault). */
    public byte[] sent(Direction direction) {
        synchronized (lock) {
            return (direction == Direction.TO_SERVER ? toServer : toClient).toByteArray();
        }
    }

    /**
     * The offsets in {@code direction}'s stream where its sender began a new turn (sent after the
     * other side had): the first is 0, the second starts its second flight, and so on.
     */
    public List<Long> turns(Direction direction) {
        synchronized (lock) {
            return List.copyOf(direction == Direction.TO_SERVER ? clientTurns : serverTurns);
        }
    }

    /** Offsets at which the TLS records of {@code stream} start, parsed from their length fields. */
    public static List<Integer> recordStarts(byte[] stream) {
        List<Integer> starts = new ArrayList<>();
        int p = 0;
        while (p + 5 <= stream.length) {
            starts.add(p);
            p += 5 + (((stream[p + 3] & 0xff) << 8) | (stream[p + 4] & 0xff));
        }
        return starts;
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        closeBoth(false);
    }
}
