package dev.tlsupgrade;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLSocketFactory;

/**
 * An {@link SSLSocketFactory} a client can name in its configuration, for clients that instantiate
 * the factory class themselves:
 *
 * <pre>
 * jdbc:postgresql://db.example.com/app?sslmode=verify-full&amp;sslfactory=dev.tlsupgrade.TlsSocketFactory
 *     &amp;tlsupgrade.backend=openssl&amp;tlsupgrade.trustedCertificates=/etc/app/db-ca.pem
 * mail.smtp.ssl.socketFactory.class=dev.tlsupgrade.TlsSocketFactory
 * </pre>
 *
 * <p>It is configured by {@code tlsupgrade.*} properties, each taken from the {@link Properties}
 * given to the constructor (pgjdbc passes its connection properties), else from the system
 * properties, else from {@code tlsupgrade.properties} on the class path:
 * <ul>
 *   <li>{@code tlsupgrade.backend}: {@code jsse}, {@code openssl}, {@code conscrypt}, {@code bctls};
 *       if unset, {@link TlsBackends#defaultBackend()}
 *   <li>{@code tlsupgrade.protocols}: {@code TLSv1,TLSv1.1,TLSv1.2,TLSv1.3} (a comma list)
 *   <li>{@code tlsupgrade.allowLegacyProtocols}: {@code true} to permit TLS 1.0/1.1 in that list
 *   <li>{@code tlsupgrade.trustedCertificates}: a PEM file of the CAs to trust instead of the platform's
 *   <li>{@code tlsupgrade.clientCertificate} and {@code tlsupgrade.clientKey}: PEM files of the
 *       client's chain and key
 *   <li>{@code tlsupgrade.pinnedCertificates}: fingerprints of a self-signed server's certificate
 *       ({@code sha256/BASE64} or colon hex, a comma list); {@code tlsupgrade.knownHosts}: a
 *       trust-on-first-use file
 *   <li>{@code tlsupgrade.trustStore} and {@code tlsupgrade.trustStorePassword}: a PKCS#12 or JKS trust
 *       store instead of a PEM file
 *   <li>{@code tlsupgrade.hostPins}: keys pinned per host on top of CA validation,
 *       {@code *.example.com=sha256/A|sha256/B;db.example.com=sha256/C}
 *   <li>{@code tlsupgrade.revocation}: a {@link RevocationMode} ({@code HARD_FAIL}, ...)
 *   <li>{@code tlsupgrade.reloadInterval} ({@code 60s}): how often changed trust and key files are
 *       read again; the shared upgrader picks rotated certificates up without a restart
 *   <li>{@code tlsupgrade.serverName}, {@code tlsupgrade.handshakeTimeout} ({@code 30s},
 *       {@code 500ms}), {@code tlsupgrade.cipherSuites}, {@code tlsupgrade.alpn}
 *   <li>{@code tlsupgrade.fallback.backends} ({@code jsse,openssl}) and
 *       {@code tlsupgrade.fallback.allowLegacy}: a {@link FallbackConnector} for the sockets the
 *       factory dials itself ({@code createSocket(host, port)}); sockets a client dialed (layered) or
 *       connects later use {@code tlsupgrade.backend} alone, since only a connector that dials can retry
 * </ul>
 * A bad value, or an unknown {@code tlsupgrade.} name, fails the constructor with an
 * {@link IllegalArgumentException} naming the property.
 *
 * <p>Factories with the same settings share one {@link TlsUpgrader} (clients such as pgjdbc make a
 * factory per connection): sessions are resumed across them and native contexts are not made again.
 * In code, prefer {@link TlsUpgrader#socketFactory()}.
 */
public final class TlsSocketFactory extends SSLSocketFactory {
    private static final Map<Map<String, String>, TlsUpgrader> SHARED = new ConcurrentHashMap<>();
    private static final Map<Map<String, String>, java.util.Optional<FallbackConnector>> SHARED_FALLBACK =
            new ConcurrentHashMap<>();

    private final SSLSocketFactory delegate;
    private final FallbackConnector fallback;

    /** Configured from the system properties and {@code tlsupgrade.properties} on the class path. */
    public TlsSocketFactory() {
        this(new Properties());
    }

    /** Configured from {@code properties}, then the system properties, then {@code tlsupgrade.properties}. */
    public TlsSocketFactory(Properties properties) {
        Map<String, String> settings = FactoryProperties.resolve(properties);
        this.delegate = SHARED.computeIfAbsent(settings,
                s -> FactoryProperties.backend(s).newUpgrader(FactoryProperties.config(s))).socketFactory();
        this.fallback = SHARED_FALLBACK.computeIfAbsent(settings,
                s -> java.util.Optional.ofNullable(FactoryProperties.fallback(s))).orElse(null);
    }

    /**
     * For clients that pass one string argument (pgjdbc's {@code sslfactoryarg}): the backend's name;
     * everything else as for {@link #TlsSocketFactory()}.
     */
    public TlsSocketFactory(String backend) {
        this(withBackend(backend));
    }

    private static Properties withBackend(String backend) {
        Properties p = new Properties();
        if (backend != null && !backend.isBlank()) {
            p.setProperty(FactoryProperties.BACKEND, backend);
        }
        return p;
    }

    /** A factory configured as by {@link #TlsSocketFactory()}; what Jakarta Mail calls on a factory class. */
    public static SSLSocketFactory getDefault() {
        return new TlsSocketFactory();
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return delegate.createSocket();
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return delegate.createSocket(socket, host, port, autoClose);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return fallback != null ? fallback.connect(host, port) : delegate.createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localAddress, int localPort) throws IOException {
        return delegate.createSocket(host, port, localAddress, localPort);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return fallback != null ? fallback.connect(address.getHostAddress(), port) : delegate.createSocket(address, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return delegate.createSocket(address, port, localAddress, localPort);
    }

    @Override
    public String toString() {
        return "TlsSocketFactory[" + delegate + "]";
    }
}
