package dev.tlsupgrade.internal.socket;

import java.io.Closeable;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounds a blocking step as a whole: when the deadline passes, it closes the resource the step is
 * blocked on, which wakes any read or write. SO_TIMEOUT alone only bounds each read, so a peer that
 * trickles one byte at a time, or never reads what we write, could otherwise hold a handshake forever.
 *
 * <p>One daemon thread serves every deadline of the JVM by looking at them every {@value #TICK_MILLIS}
 * ms (so a deadline fires up to that late), and parks for good after a second without any. Starting
 * and cancelling a deadline therefore never wakes it while upgrades keep coming: a timer queue that
 * is signalled per deadline cost a thread switch per upgrade, ~10% of a resumed handshake (measured).
 */
public final class Watchdog {
    static final long TICK_MILLIS = 10;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Set<Deadline> RUNNING = ConcurrentHashMap.newKeySet();
    private static volatile boolean parked;
    private static final Thread THREAD = launch();

    private Watchdog() {
    }

    private static Thread launch() {
        Thread t = new Thread(Watchdog::watch, "tlsupgrade-watchdog");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Closes {@code resource} after {@code millis} unless the returned deadline is cancelled first. */
    public static Deadline start(long millis, Closeable resource) {
        Deadline d = new Deadline(resource, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
        RUNNING.add(d);
        if (parked) {
            LockSupport.unpark(THREAD);
        }
        return d;
    }

    private static void watch() {
        long lastSeen = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            if (!RUNNING.isEmpty()) {
                lastSeen = now;
                for (Deadline d : RUNNING) {
                    if (now - d.due >= 0) {
                        RUNNING.remove(d);
                        d.fire();
                    }
                }
            } else if (now - lastSeen > IDLE_NANOS) {
                // Publish "parked" before the last look, so that start() either is seen here or unparks us.
                parked = true;
                if (RUNNING.isEmpty()) {
                    LockSupport.park();
                }
                parked = false;
                lastSeen = System.nanoTime();
                continue;
            }
            LockSupport.parkNanos(TICK_NANOS);
        }
    }

    /** One running deadline. */
    public static final class Deadline {
        private static final int PENDING = 0;
        private static final int CANCELLED = 1;
        private static final int FIRED = 2;

        private final AtomicInteger state = new AtomicInteger(PENDING);
        private final Closeable resource;
        private final long due;

        private Deadline(Closeable resource, long due) {
            this.resource = resource;
            this.due = due;
        }

        private void fire() {
            if (state.compareAndSet(PENDING, FIRED)) {
                try {
                    resource.close();
                } catch (IOException | RuntimeException ignored) {
                    // the step fails either way; its own exception says enough
                }
            }
        }

        /** Stops the deadline; false if it had already fired (the resource is closed). */
        public boolean cancel() {
            boolean cancelled = state.compareAndSet(PENDING, CANCELLED);
            RUNNING.remove(this);
            return cancelled || state.get() == CANCELLED;
        }

        /** True once the deadline has passed and the resource was closed. */
        public boolean fired() {
            return state.get() == FIRED;
        }
    }
}
