package dev.tlsupgrade;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@link TlsUpgrader#socketFactory()}: every socket it makes is core's {@link UpgradedSocket}, not yet
 * handshaken, so a client can configure it first. Sockets it connects itself connect within the
 * config's handshake timeout.
 */
final class UpgraderSocketFactory extends SSLSocketFactory {
    private final TlsUpgrader upgrader;

    UpgraderSocketFactory(TlsUpgrader upgrader) {
        this.upgrader = upgrader;
    }

    /** The suites sockets offer unless a client narrows them: the config's pins or the backend's defaults. */
    @Override
    public String[] getDefaultCipherSuites() {
        return upgrader.enabledCipherSuites().toArray(new String[0]);
    }

    /** The same as {@link #getDefaultCipherSuites()}: a client can narrow the config, never widen it. */
    @Override
    public String[] getSupportedCipherSuites() {
        return getDefaultCipherSuites();
    }

    /** An unconnected socket: {@code connect(address, timeout)} names the server, then the handshake runs. */
    @Override
    public Socket createSocket() {
        return new UpgradedSocket(upgrader, new Socket(), true, null, 0);
    }

    /** Layers TLS on {@code socket}, connected (and past any plaintext preamble); closes it on close if {@code autoClose}. */
    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) {
        TlsUpgrader.checkTarget(host, port);
        TlsUpgrader.requireUsable(socket);
        return new UpgradedSocket(upgrader, socket, autoClose, host, port);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(host, port, null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(host, port, new InetSocketAddress(localAddress, localPort));
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return createSocket(nameOf(address), port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket(nameOf(address), port, localAddress, localPort);
    }

    /** The name an InetAddress was made from, if any (without a reverse lookup), else its IP literal. */
    private static String nameOf(InetAddress address) {
        String text = address.toString();
        int slash = text.indexOf('/');
        return slash > 0 ? text.substring(0, slash) : address.getHostAddress();
    }

    private Socket connected(String host, int port, InetSocketAddress local) throws IOException {
        TlsUpgrader.checkTarget(host, port);
        Socket plain = new Socket();
        UpgradedSocket tls = new UpgradedSocket(upgrader, plain, true, null, 0);
        try {
            if (local != null) {
                plain.bind(local);
            }
            tls.connect(new InetSocketAddress(host, port), 0);
            return tls;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return "tlsupgrade socket factory over " + upgrader;
    }
}
