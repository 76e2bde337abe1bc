package dev.tlsupgrade.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;

/** Loopback addresses and plain connections for tests: nothing here leaves 127.0.0.1 or ::1. */
public final class Loopback {
    private Loopback() {
    }

    public static InetAddress v4() {
        return address("127.0.0.1");
    }

    public static InetAddress v6() {
        return address("::1");
    }

    /** True when this machine can listen on ::1. */
    public static boolean hasV6() {
        try (ServerSocket s = new ServerSocket(0, 1, v6())) {
            return s.getLocalPort() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port nobody listens on right now on {@code address}. */
    public static int freePort(InetAddress address) {
        try (ServerSocket s = new ServerSocket(0, 1, address)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port: " + e, e);
        }
    }

    /** A plain socket connected to {@code address:port} within 5 s, with TCP_NODELAY (no Nagle stalls). */
    public static Socket connect(InetAddress address, int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(address, port), 5000);
        return s;
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
