package dev.tlsupgrade;

import dev.tlsupgrade.internal.policy.HostName;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Connects to a host the way RFC 8305 ("Happy Eyeballs") describes, before any upgrade: every
 * address the name resolves to is tried, IPv6 and IPv4 interleaved with IPv6 first, the next one
 * started 250 ms after the previous if that has not connected yet, and the first to connect wins
 * (the others are closed). The Java client that tried only one of {@code localhost}'s addresses,
 * where curl tried both, is the field case behind it.
 *
 * <pre>{@code
 * Dialer.Connection c = Dialer.connect("db.example.com", 5432, Duration.ofSeconds(10));
 * Preamble.postgres().negotiate(c.socket(), Duration.ofSeconds(10));
 * SSLSocket tls = upgrader.upgrade(c.socket(), "db.example.com", 5432);
 * }</pre>
 */
public final class Dialer {
    /** The delay before the next address is tried while earlier attempts are still pending (RFC 8305 §5). */
    public static final Duration ATTEMPT_DELAY = Duration.ofMillis(250);

    private Dialer() {
    }

    /**
     * The connected socket, the address it reached, and why each address tried before it failed.
     *
     * @param socket the connected plain socket (TCP_NODELAY is the caller's to set)
     * @param address the address and port connected
     * @param failures each address that failed before, with its exception, in the order tried
     */
    public record Connection(Socket socket, InetSocketAddress address, Map<InetAddress, IOException> failures) {
        public Connection {
            Objects.requireNonNull(socket);
            Objects.requireNonNull(address);
            failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
        }
    }

    /** Every address of {@code host}, IPv6 and IPv4 interleaved, IPv6 first (RFC 8305 §4). */
    public static List<InetAddress> addresses(String host) throws IOException {
        HostName checked = HostName.of(host);
        return interleave(List.of(InetAddress.getAllByName(checked.isIpLiteral() ? checked.name() : host)));
    }

    static List<InetAddress> interleave(List<InetAddress> all) {
        List<InetAddress> v6 = new ArrayList<>();
        List<InetAddress> v4 = new ArrayList<>();
        for (InetAddress a : all) {
            (a instanceof Inet6Address ? v6 : v4).add(a);
        }
        List<InetAddress> out = new ArrayList<>();
        for (int i = 0; i < Math.max(v6.size(), v4.size()); i++) {
            if (i < v6.size()) {
                out.add(v6.get(i));
            }
            if (i < v4.size()) {
                out.add(v4.get(i));
            }
        }
        return out;
    }

    /**
     * Connects to {@code host}:{@code port} within {@code timeout} (each attempt, and the whole).
     *
     * @throws java.net.UnknownHostException when the name does not resolve
     * @throws ConnectException when no address connected; its message lists each address's failure
     */
    public static Connection connect(String host, int port, Duration timeout) throws IOException {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        return connect(host, addresses(host), port, timeout);
    }

    /** Races {@code addresses} (in this order) as {@link #connect(String, int, Duration)} does; {@code host} names them in messages. */
    static Connection connect(String host, List<InetAddress> addresses, int port, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        LinkedBlockingQueue<Object[]> done = new LinkedBlockingQueue<>();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tlsupgrade-dialer");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> started = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean();
        Map<InetAddress, IOException> failures = new LinkedHashMap<>();
        Connection winner = null;
        try {
            int next = 0;
            int pending = 0;
            while (winner == null) {
                if (next < addresses.size()) {
                    InetAddress a = addresses.get(next++);
                    pending++;
                    started.add(pool.submit(() -> {
                        Socket s = new Socket();
                        try {
                            s.connect(new InetSocketAddress(a, port), millis);
                            synchronized (done) {
                                if (over.get()) {
                                    closeQuietly(s); // connected after the dial ended: nobody will take it
                                } else {
                                    done.add(new Object[] {a, s});
                                }
                            }
                        } catch (IOException e) {
                            closeQuietly(s);
                            done.add(new Object[] {a, e});
                        }
                    }));
                }
                if (pending == 0) {
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                long wait = next < addresses.size() ? Math.min(left, ATTEMPT_DELAY.toNanos()) : left;
                Object[] result = done.poll(wait, TimeUnit.NANOSECONDS);
                while (result != null) {
                    pending--;
                    InetAddress a = (InetAddress) result[0];
                    if (result[1] instanceof Socket s && winner == null) {
                        winner = new Connection(s, new InetSocketAddress(a, port), failures);
                    } else if (result[1] instanceof Socket late) {
                        closeQuietly(late);
                    } else {
                        failures.put(a, (IOException) result[1]);
                    }
                    result = done.poll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while connecting to " + host + ":" + port);
        } finally {
            synchronized (done) {
                over.set(true);
            }
            for (Future<?> f : started) {
                f.cancel(true);
            }
            pool.shutdownNow();
            // Attempts still connecting after the winner close their sockets as they finish.
            for (Object[] late; (late = done.poll()) != null; ) {
                if (late[1] instanceof Socket s) {
                    closeQuietly(s);
                }
            }
        }
        if (winner != null) {
            return winner;
        }
        StringBuilder why = new StringBuilder("could not connect to " + host + ":" + port + " at any of its "
                + addresses.size() + " address(es):");
        for (InetAddress a : addresses) {
            IOException e = failures.get(a);
            why.append(' ').append(a.getHostAddress()).append(" (").append(e == null ? "not finished within "
                    + timeout.toMillis() + " ms" : e.getMessage()).append(')');
        }
        throw new ConnectException(why.toString());
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
