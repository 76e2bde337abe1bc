package dev.tlsupgrade.internal;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds a blocking step as a whole: when the deadline passes, it closes the resource the step is
 * blocked on, which wakes any read or write. SO_TIMEOUT alone only bounds each read, so a peer that
 * trickles one byte at a time, or never reads what we write, could otherwise hold a handshake forever.
 * One daemon thread serves every deadline of the JVM.
 */
public final class Watchdog {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private Watchdog() {
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "tlsupgrade-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /** Closes {@code resource} after {@code millis} unless the returned deadline is cancelled first. */
    public static Deadline start(long millis, Closeable resource) {
        Deadline d = new Deadline(resource);
        d.future = TIMER.schedule(d::fire, millis, TimeUnit.MILLISECONDS);
        return d;
    }

    /** One running deadline. */
    public static final class Deadline {
        private static final int PENDING = 0;
        private static final int CANCELLED = 1;
        private static final int FIRED = 2;

        private final AtomicInteger state = new AtomicInteger(PENDING);
        private final Closeable resource;
        private volatile ScheduledFuture<?> future;

        private Deadline(Closeable resource) {
            this.resource = resource;
        }

        private void fire() {
            if (state.compareAndSet(PENDING, FIRED)) {
                try {
                    resource.close();
                } catch (IOException ignored) {
                    // the step fails either way; its own exception says enough
                }
            }
        }

        /** Stops the deadline; false if it had already fired (the resource is closed). */
        public boolean cancel() {
            boolean cancelled = state.compareAndSet(PENDING, CANCELLED);
            ScheduledFuture<?> f = future;
            if (cancelled && f != null) {
                f.cancel(false);
            }
            return cancelled || state.get() == CANCELLED;
        }

        /** True once the deadline has passed and the resource was closed. */
        public boolean fired() {
            return state.get() == FIRED;
        }
    }
}
