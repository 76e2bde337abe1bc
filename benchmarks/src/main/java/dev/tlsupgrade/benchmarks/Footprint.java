package dev.tlsupgrade.benchmarks;

import dev.tlsupgrade.TlsVersion;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogManager;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;

/**
 * Memory and threads per idle upgraded connection, for one backend and path, run in a JVM of its
 * own (so the numbers are this client's alone; the server is in the parent): after a warm-up, a
 * first batch of up to 1,000 connections to one host name is upgraded by {@value #THREADS} threads at
 * once, each exchanging a byte (the time reported); then {@code count} more, whose growth of the used
 * heap and of the process's resident memory after a full GC (where the native memory of conscrypt
 * and openssl shows; the heap is pre-touched, so heap growth does not show there) is divided by
 * {@code count}, and whose growth of the process's thread count is reported as is: the first batch
 * also pays for JIT code and allocator growth, which made resident numbers jump by whole megabytes.
 * The open connections need descriptors: the JVM raises its soft limit to the hard one; when the
 * first batch shows that {@code count} more would pass it, the run says so ({@code cannot=...}) instead.
 *
 * <pre>Footprint BACKEND VERSION PATH PORT COUNT CA.pem</pre> prints one line of {@code key=value}.
 */
public final class Footprint {
    static final int THREADS = 32;

    private Footprint() {
    }

    public static void main(String[] args) throws Exception {
        LogManager.getLogManager().reset(); // BCJSSE reports its set-up through java.util.logging
        String backend = args[0];
        TlsVersion version = TlsVersion.fromJsseName(args[1]).orElseThrow();
        String path = args[2];
        int port = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        Path caPem = Path.of(args[5]);
        String host = "pool.bench.test";
        int first = Math.min(count, 1000);
        List<SSLSocket> open = new ArrayList<>(first + count);
        try (Client client = Client.create(backend, path, version, caPem)) {
            for (int i = 0; i < 200; i++) {
                try (SSLSocket s = client.connect(port, host)) {
                    Client.exchangeByte(s);
                }
            }
            settle();
            long descriptors0 = openDescriptors();
            long start = System.nanoTime();
            open.addAll(upgradeAtOnce(client, port, host, first));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            settle();
            long perConnection = (openDescriptors() - descriptors0 + first - 1) / first;
            long needed = openDescriptors() + perConnection * count + 100;
            long limit = openDescriptorLimit();
            if (needed > limit) {
                // Conscrypt holds a pipe besides each socket: three descriptors a connection.
                System.out.printf(Locale.ROOT, "cannot=%d more connections need %d open files (%d each), this process may "
                        + "have %d, the hard limit (ulimit -Hn) of this machine%n", count, needed, perConnection, limit);
                return;
            }
            // The first batch also pays for JIT code and allocator growth; the second one's growth is the
            // connections' own.
            long heap1 = usedHeap();
            long rss1 = rssBytes();
            int threads1 = ManagementFactory.getThreadMXBean().getThreadCount();
            open.addAll(upgradeAtOnce(client, port, host, count));
            settle();
            long heapPer = (usedHeap() - heap1) / count;
            long rssPer = (rssBytes() - rss1) / count;
            int threadGrowth = ManagementFactory.getThreadMXBean().getThreadCount() - threads1;
            System.out.printf(Locale.ROOT, "heapPerConnection=%d rssPerConnection=%d upgradeMillis=%d threadGrowth=%d%n",
                    heapPer, rssPer, millis, threadGrowth);
        } finally {
            for (SSLSocket s : open) {
                s.close();
            }
        }
    }

    /** {@code count} connections upgraded by {@value #THREADS} threads at once, each after exchanging a byte. */
    private static List<SSLSocket> upgradeAtOnce(Client client, int port, String host, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<SSLSocket>> pending = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                pending.add(pool.submit(() -> {
                    SSLSocket s = client.connect(port, host);
                    Client.exchangeByte(s);
                    return s;
                }));
            }
            List<SSLSocket> done = new ArrayList<>(count);
            for (Future<SSLSocket> f : pending) {
                done.add(f.get(60, TimeUnit.SECONDS));
            }
            return done;
        } finally {
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }

    private static long openDescriptors() throws IOException {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** The soft limit on open files, which the JVM has raised to the hard one (-XX:+MaxFDLimit, its default). */
    private static long openDescriptorLimit() throws IOException {
        Matcher m = Pattern.compile("Max open files\\s+(\\d+|unlimited)").matcher(Files.readString(Path.of("/proc/self/limits")));
        if (!m.find()) {
            throw new IOException("no open-file limit in /proc/self/limits");
        }
        return m.group(1).equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(m.group(1));
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long rssBytes() throws IOException {
        Matcher m = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/self/status")));
        if (!m.find()) {
            throw new IOException("no VmRSS in /proc/self/status");
        }
        return Long.parseLong(m.group(1)) * 1024;
    }
}
