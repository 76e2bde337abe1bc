package dev.tlsupgrade.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tlsupgrade.TlsBackend;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.HttpsTestServer;
import dev.tlsupgrade.testing.MosquittoServer;
import dev.tlsupgrade.testing.PostfixServer;
import dev.tlsupgrade.testing.PostgresServer;
import dev.tlsupgrade.testing.RabbitMqServer;
import dev.tlsupgrade.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The clients people already run, each given tlsupgrade by the one line {@link UseWith} shows,
 * against a real server on loopback, on every backend: pgjdbc to PostgreSQL, Angus Mail to postfix,
 * Paho to mosquitto, the RabbitMQ client to rabbitmq-server, OkHttp and HttpClient 5 to an HTTPS server. A version a backend cannot offer
 * fails with tlsupgrade's explanation, never with the client's confusion.
 */
@Timeout(120)
class RealClientsTest {
    static Stream<String> backends() {
        return TlsBackends.available().stream().map(TlsBackend::name);
    }

    private static TlsClientConfig.Builder trusting(TlsVersion... versions) {
        TlsClientConfig.Builder b = TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem())
                .handshakeTimeout(Duration.ofSeconds(10)).protocols(versions);
        if (Stream.of(versions).anyMatch(TlsVersion::isLegacy)) {
            b.allowLegacyProtocols();
        }
        return b;
    }

    private static Properties pgSettings(String backend, TlsVersion version) {
        Properties p = new Properties();
        p.setProperty("tlsupgrade.backend", backend);
        p.setProperty("tlsupgrade.trustedCertificates", TestPki.get().caPem().toString());
        p.setProperty("tlsupgrade.protocols", version.jsseName());
        if (version.isLegacy()) {
            p.setProperty("tlsupgrade.allowLegacyProtocols", "true");
        }
        return p;
    }

    private static String versionSeenByPostgres(Connection db) throws Exception {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select version from pg_stat_ssl where pid = pg_backend_pid()")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    /** pgjdbc names the factory class; sslmode=verify-full casts the session's certificates. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class PgjdbcOnTls13 {
        private PostgresServer server;

        @BeforeAll
        void start() throws Exception {
            server = PostgresServer.start(TlsVersion.TLS_1_3);
        }

        @AfterAll
        void stop() throws Exception {
            server.close();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.tlsupgrade.examples.RealClientsTest#backends")
        void queriesOverTls13(String backend) throws Exception {
            try (Connection db = UseWith.pgjdbc("localhost", server.port(), pgSettings(backend, TlsVersion.TLS_1_3))) {
                assertThat(versionSeenByPostgres(db)).isEqualTo("TLSv1.3");
            }
        }
    }

    /** The field case: a database pinned to TLS 1.0. Legacy-capable backends reach it; the others say why not. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class PgjdbcOnTls10 {
        private PostgresServer server;

        @BeforeAll
        void start() throws Exception {
            server = PostgresServer.start(TlsVersion.TLS_1_0);
        }

        @AfterAll
        void stop() throws Exception {
            server.close();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.tlsupgrade.examples.RealClientsTest#backends")
        void queriesOrExplains(String backend) throws Exception {
            Properties settings = pgSettings(backend, TlsVersion.TLS_1_0);
            if (TlsBackends.get(backend).capabilities().supports(TlsVersion.TLS_1_0)) {
                try (Connection db = UseWith.pgjdbc("localhost", server.port(), settings)) {
                    assertThat(versionSeenByPostgres(db)).isEqualTo("TLSv1");
                }
                return;
            }
            Throwable failure = catchThrowable(() -> UseWith.pgjdbc("localhost", server.port(), settings).close());
            assertThat(failure).isNotNull();
            assertThat(causes(failure)).as("the cause chain pgjdbc reports")
                    .contains("backend " + backend + " cannot offer [TLSv1]")
                    .contains("enableLegacyProtocolsGlobally()")
                    .contains("openssl");
        }
    }

    private static String causes(Throwable t) {
        return Stream.iterate(t, c -> c != null, Throwable::getCause).map(String::valueOf).collect(Collectors.joining(" <- "));
    }

    /** Angus Mail: STARTTLS on postfix through the upgrader's factory (layered, then startHandshake()). */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AngusMailToPostfix {
        private PostfixServer server;

        @BeforeAll
        void start() throws Exception {
            server = PostfixServer.start(TlsVersion.TLS_1_3);
        }

        @AfterAll
        void stop() throws Exception {
            server.close();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.tlsupgrade.examples.RealClientsTest#backends")
        void startTlsThenMailFrom(String backend) throws Exception {
            try (TlsUpgrader upgrader = TlsBackends.get(backend).newUpgrader(trusting(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3).build())) {
                SMTPTransport smtp = (SMTPTransport) UseWith.smtp(upgrader, "localhost", server.port());
                try {
                    assertThat(smtp.isSSL()).as("the SMTP connection runs over TLS after STARTTLS").isTrue();
                    assertThat(smtp.simpleCommand("MAIL FROM:<sender@example.test>")).isEqualTo(250);
                } finally {
                    smtp.close();
                }
            }
        }
    }

    /** Jakarta Mail names the factory class: TlsSocketFactory.getDefault(), configured by system properties. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void angusMailNamesTheFactoryClass(String backend) throws Exception {
        try (PostfixServer server = PostfixServer.start(TlsVersion.TLS_1_3)) {
            System.setProperty("tlsupgrade.backend", backend);
            System.setProperty("tlsupgrade.trustedCertificates", TestPki.get().caPem().toString());
            try {
                Properties props = new Properties();
                props.put("mail.smtp.host", "localhost");
                props.put("mail.smtp.port", String.valueOf(server.port()));
                props.put("mail.smtp.starttls.enable", "true");
                props.put("mail.smtp.starttls.required", "true");
                props.put("mail.smtp.ssl.socketFactory.class", "dev.tlsupgrade.TlsSocketFactory");
                SMTPTransport smtp = (SMTPTransport) jakarta.mail.Session.getInstance(props).getTransport("smtp");
                smtp.connect();
                try {
                    assertThat(smtp.isSSL()).isTrue();
                    assertThat(smtp.simpleCommand("MAIL FROM:<sender@example.test>")).isEqualTo(250);
                } finally {
                    smtp.close();
                }
            } finally {
                System.clearProperty("tlsupgrade.backend");
                System.clearProperty("tlsupgrade.trustedCertificates");
            }
        }
    }

    /** Paho: an unconnected socket from the factory, connect(address, timeout), then startHandshake(). */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class PahoToMosquitto {
        private MosquittoServer tls11;
        private MosquittoServer tls13;

        @BeforeAll
        void start() throws Exception {
            tls11 = MosquittoServer.start(TlsVersion.TLS_1_1);
            tls13 = MosquittoServer.start(TlsVersion.TLS_1_3);
        }

        @AfterAll
        void stop() throws Exception {
            tls11.close();
            tls13.close();
        }

        private void publishAndReceive(TlsUpgrader upgrader, int port) throws Exception {
            MqttClient client = UseWith.mqtt(upgrader, "localhost", port);
            try {
                java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
                client.subscribe("tlsupgrade/test", (topic, message) ->
                        got.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
                client.publish("tlsupgrade/test", new MqttMessage("hello broker".getBytes(StandardCharsets.UTF_8)));
                assertThat(got.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("hello broker");
            } finally {
                client.disconnect();
                client.close();
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.tlsupgrade.examples.RealClientsTest#backends")
        void publishesOverTls13(String backend) throws Exception {
            try (TlsUpgrader upgrader = TlsBackends.get(backend).newUpgrader(trusting(TlsVersion.TLS_1_3).build())) {
                publishAndReceive(upgrader, tls13.port());
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.tlsupgrade.examples.RealClientsTest#backends")
        void publishesToABrokerPinnedToTls11WhereTheBackendCan(String backend) throws Exception {
            TlsBackend b = TlsBackends.get(backend);
            TlsClientConfig config = trusting(TlsVersion.TLS_1_1).build();
            if (!b.capabilities().supports(TlsVersion.TLS_1_1)) {
                assertThat(catchThrowable(() -> b.newUpgrader(config))).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("TLSv1.1");
                return;
            }
            try (TlsUpgrader upgrader = b.newUpgrader(config)) {
                publishAndReceive(upgrader, tls11.port());
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.tlsupgrade.examples.RealClientsTest#backends")
        void aModernClientAgainstTheTls11BrokerIsExplained(String backend) throws Exception {
            try (TlsUpgrader upgrader = TlsBackends.get(backend).newUpgrader(trusting(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3).build())) {
                Throwable failure = catchThrowable(() -> UseWith.mqtt(upgrader, "localhost", tls11.port()));
                assertThat(failure).isNotNull();
                assertThat(Stream.iterate(failure, c -> c != null, Throwable::getCause))
                        .as("Paho's exception carries tlsupgrade's explanation: " + causes(failure))
                        .anyMatch(t -> t instanceof TlsUpgradeException);
            }
        }
    }

    /** The RabbitMQ Java client (blocking I/O): unconnected socket, connect, handshake; then a queue round trip. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class RabbitMqClientToRabbitMqServer {
        private RabbitMqServer server;

        @BeforeAll
        void start() throws Exception {
            server = RabbitMqServer.start(TlsVersion.TLS_1_3);
        }

        @AfterAll
        void stop() throws Exception {
            server.close();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.tlsupgrade.examples.RealClientsTest#backends")
        void sendsAndReceivesThroughAQueue(String backend) throws Exception {
            try (TlsUpgrader upgrader = TlsBackends.get(backend).newUpgrader(trusting(TlsVersion.TLS_1_3).build());
                    com.rabbitmq.client.Connection connection = UseWith.rabbitmq(upgrader, "localhost", server.port());
                    com.rabbitmq.client.Channel channel = connection.createChannel()) {
                String queue = channel.queueDeclare().getQueue();
                channel.basicPublish("", queue, null, ("over " + backend).getBytes(StandardCharsets.UTF_8));
                com.rabbitmq.client.GetResponse got = null;
                for (int i = 0; i < 50 && got == null; i++) {
                    got = channel.basicGet(queue, true);
                    if (got == null) {
                        Thread.sleep(100);
                    }
                }
                assertThat(got).isNotNull();
                assertThat(new String(got.getBody(), StandardCharsets.UTF_8)).isEqualTo("over " + backend);
            }
        }
    }

    /** OkHttp (factory plus trust manager, ALPN through SSLParameters) and HttpClient 5 (TlsSocketStrategy). */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class HttpClients {
        private HttpsTestServer server;

        @BeforeAll
        void start() throws Exception {
            server = HttpsTestServer.start("TLSv1.3", "TLSv1.2");
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.tlsupgrade.examples.RealClientsTest#backends")
        void okhttpGets(String backend) throws Exception {
            try (TlsUpgrader upgrader = TlsBackends.get(backend).newUpgrader(trusting(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3).build())) {
                OkHttpClient client = UseWith.okhttp(upgrader);
                for (int i = 0; i < 2; i++) { // the second request reuses the pooled connection
                    try (Response response = client.newCall(new Request.Builder().url(server.url()).build()).execute()) {
                        assertThat(response.code()).isEqualTo(200);
                        assertThat(response.body().string()).isEqualTo("hello over TLSv1.3");
                        assertThat(response.handshake().tlsVersion().javaName()).isEqualTo("TLSv1.3");
                    }
                }
                client.connectionPool().evictAll();
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.tlsupgrade.examples.RealClientsTest#backends")
        void httpClient5Gets(String backend) throws Exception {
            try (TlsUpgrader upgrader = TlsBackends.get(backend).newUpgrader(trusting(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3).build());
                    CloseableHttpClient client = UseWith.httpClient5(upgrader)) {
                String body = client.execute(new HttpGet(server.url()), response -> {
                    assertThat(response.getCode()).isEqualTo(200);
                    return EntityUtils.toString(response.getEntity());
                });
                assertThat(body).isEqualTo("hello over TLSv1.3");
            }
        }
    }
}
