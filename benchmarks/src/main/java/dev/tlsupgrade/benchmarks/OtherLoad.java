package dev.tlsupgrade.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much CPU the machine spent outside this JVM while a measurement ran, in cores: all busy time
 * ({@code /proc/stat}) less this JVM's ({@code /proc/self/stat}), over the wall time. Other processes
 * show there, and so does kernel work no process is charged for (softirq time of loopback traffic).
 * It says whether a row ran on a quiet machine, which a load average (a slow, smoothed number that
 * counts this JVM too) cannot.
 */
final class OtherLoad {
    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final long busyTicks;
    private final long selfTicks;
    private final long nanos;

    private OtherLoad(long busyTicks, long selfTicks, long nanos) {
        this.busyTicks = busyTicks;
        this.selfTicks = selfTicks;
        this.nanos = nanos;
    }

    static OtherLoad now() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
                busy += Long.parseLong(cpu[i]);
            }
            String self = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = self.substring(self.lastIndexOf(')') + 2).split(" ");
            long selfTicks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime stime
            return new OtherLoad(busy, selfTicks, System.nanoTime());
        } catch (IOException | RuntimeException e) {
            return new OtherLoad(-1, -1, System.nanoTime());
        }
    }

    /** Cores' worth of CPU others used since {@code start}, or NaN where /proc cannot say. */
    double coresSince(OtherLoad start) {
        if (busyTicks < 0 || start.busyTicks < 0) {
            return Double.NaN;
        }
        double seconds = (nanos - start.nanos) / 1e9;
        double others = (busyTicks - start.busyTicks) - (selfTicks - start.selfTicks);
        return Math.max(0, others / TICKS_PER_SECOND / seconds);
    }

    /** Waits up to {@code maxSeconds} for a second in which others use less than {@code cores}; returns what they used last. */
    static double waitForQuiet(double cores, int maxSeconds) throws InterruptedException {
        double used = Double.NaN;
        for (int i = 0; i < maxSeconds; i++) {
            OtherLoad start = now();
            Thread.sleep(1000);
            used = now().coresSince(start);
            if (!(used >= cores)) {
                return used;
            }
        }
        return used;
    }
}
