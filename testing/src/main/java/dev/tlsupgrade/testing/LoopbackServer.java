package dev.tlsupgrade.testing;

/** A real server process a test started on 127.0.0.1; closing it stops the process. */
public interface LoopbackServer extends AutoCloseable {
    int port();

    @Override
    void close() throws InterruptedException;
}
