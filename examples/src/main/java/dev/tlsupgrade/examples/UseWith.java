package dev.tlsupgrade.examples;

import dev.tlsupgrade.TlsUpgrader;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import okhttp3.OkHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * tlsupgrade under the clients people already run: each method puts an upgrader's backend under one
 * client, with the one line that does it. The README's "Use with" section shows the lines between
 * the {@code // use-with:NAME} and {@code // end} markers, and a test keeps them equal; the tests in
 * this module run every method against a real server on every backend.
 */
public final class UseWith {
    private UseWith() {
    }

    /**
     * pgjdbc names its factory class; {@code tlsSettings} holds the {@code tlsupgrade.*} properties
     * (backend, trusted CA file, versions), which pgjdbc hands to {@link dev.tlsupgrade.TlsSocketFactory}.
     */
    public static Connection pgjdbc(String host, int port, Properties tlsSettings) throws SQLException {
        // use-with:pgjdbc
        Properties props = new Properties();
        props.putAll(tlsSettings);          // tlsupgrade.backend=openssl, tlsupgrade.trustedCertificates=ca.pem, ...
        props.setProperty("user", "postgres");
        props.setProperty("sslmode", "verify-full");
        props.setProperty("sslfactory", "dev.tlsupgrade.TlsSocketFactory");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", props);
        // end
    }

    /** Angus Mail (Jakarta Mail) SMTP with STARTTLS required: the upgrader's factory layers TLS on the SMTP socket. */
    public static Transport smtp(TlsUpgrader upgrader, String host, int port) throws jakarta.mail.MessagingException {
        // use-with:angus-mail
        Properties props = new Properties();
        props.put("mail.smtp.host", host);
        props.put("mail.smtp.port", String.valueOf(port));
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.socketFactory", upgrader.socketFactory());
        Transport transport = Session.getInstance(props).getTransport("smtp");
        transport.connect();
        // end
        return transport;
    }

    /** Eclipse Paho MQTT over {@code ssl://}: Paho makes an unconnected socket, connects it, then handshakes. */
    public static MqttClient mqtt(TlsUpgrader upgrader, String host, int port) throws MqttException {
        // use-with:paho
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(upgrader.socketFactory());
        MqttClient client = new MqttClient("ssl://" + host + ":" + port, MqttClient.generateClientId(),
                new MemoryPersistence());
        client.connect(options);
        // end
        return client;
    }

    /** OkHttp wants the trust manager next to the factory; ALPN and SNI it sets through SSLParameters apply. */
    public static OkHttpClient okhttp(TlsUpgrader upgrader) {
        // use-with:okhttp
        OkHttpClient client = new OkHttpClient.Builder()
                .sslSocketFactory(upgrader.socketFactory(), upgrader.trustManager())
                .build();
        // end
        return client;
    }

    /** Apache HttpClient 5 upgrades the connections it opened through a TlsSocketStrategy. */
    public static CloseableHttpClient httpClient5(TlsUpgrader upgrader) {
        // use-with:httpclient5
        CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy((socket, target, port, attachment, context) ->
                                upgrader.upgrade(socket, target, port))
                        .build())
                .build();
        // end
        return client;
    }

    /** The RabbitMQ Java client (blocking I/O): an unconnected socket from the factory, connected, then handshaken. */
    public static com.rabbitmq.client.Connection rabbitmq(TlsUpgrader upgrader, String host, int port) throws Exception {
        // use-with:rabbitmq
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setSocketFactory(upgrader.socketFactory());
        com.rabbitmq.client.Connection connection = factory.newConnection();
        // end
        return connection;
    }

    /**
     * {@code java.net.http} takes an {@link javax.net.ssl.SSLContext}: its engines are core's, so
     * HTTP/1.1 and HTTP/2 (ALPN {@code h2}) get the backend, the trust decision and the explained
     * failures. Its connect timeout does not cover the TLS handshake; the upgrader's handshake
     * timeout does, at the first read or write past it.
     */
    public static java.net.http.HttpClient javaHttpClient(TlsUpgrader upgrader) {
        // use-with:java-net-http
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .sslContext(upgrader.sslContext())
                .build();
        // end
        return client;
    }

    /**
     * Netty (and what runs on it) takes an {@link io.netty.handler.ssl.SslContext}; a
     * {@code JdkSslContext} over the upgrader's context makes core's engines. Netty's
     * {@code SslHandler.setHandshakeTimeoutMillis} bounds the handshake from the event loop.
     */
    public static io.netty.handler.ssl.SslContext netty(TlsUpgrader upgrader) {
        // use-with:netty
        io.netty.handler.ssl.SslContext tls = new io.netty.handler.ssl.JdkSslContext(
                upgrader.sslContext(), true, io.netty.handler.ssl.ClientAuth.NONE);
        // end
        return tls;
    }

    /** Apache HttpClient 5 async, HTTP/2 negotiated by ALPN: the TLS strategy takes the upgrader's context. */
    public static org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient httpClient5Async(TlsUpgrader upgrader) {
        // use-with:httpclient5-async
        org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient client =
                org.apache.hc.client5.http.impl.async.HttpAsyncClients.custom()
                        .setConnectionManager(org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder.create()
                                .setTlsStrategy(org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder.create()
                                        .setSslContext(upgrader.sslContext())
                                        .build())
                                .build())
                        .build();
        client.start();
        // end
        return client;
    }

    /** Jetty 12's client: its SslContextFactory takes the upgrader's context. */
    public static org.eclipse.jetty.client.HttpClient jetty(TlsUpgrader upgrader) throws Exception {
        // use-with:jetty
        org.eclipse.jetty.util.ssl.SslContextFactory.Client tls = new org.eclipse.jetty.util.ssl.SslContextFactory.Client();
        tls.setSslContext(upgrader.sslContext());
        org.eclipse.jetty.io.ClientConnector connector = new org.eclipse.jetty.io.ClientConnector();
        connector.setSslContextFactory(tls);
        org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient(
                new org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP(connector));
        client.start();
        // end
        return client;
    }
}
