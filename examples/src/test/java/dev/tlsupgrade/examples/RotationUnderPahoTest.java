package dev.tlsupgrade.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.TlsSocketFactory;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.Identity;
import dev.tlsupgrade.testing.JvmStateGuard;
import dev.tlsupgrade.testing.MosquittoServer;
import dev.tlsupgrade.testing.TestCertificate;
import dev.tlsupgrade.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Certificates rotated under a running service: Paho holds one {@link TlsSocketFactory} configured
 * by properties (CA and client certificate as PEM files, re-read when they change), connected to a
 * mosquitto that requires a client certificate. The CA and the client certificate are replaced on
 * disk as rotation tools do; the next connection, to a broker of the new CA, uses them with no
 * restart, the connection made before stays up, and a half-written file changes nothing.
 */
@ExtendWith(JvmStateGuard.class)
@Timeout(120)
class RotationUnderPahoTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jsse", "bctls", "conscrypt", "openssl"})
    void aRotatedCaAndClientCertificateAreUsedByTheNextConnection(String backend) throws Exception {
        Identity oldCa = TestPki.get().root();
        Identity newCa = TestCertificate.builder("CN=rotated root " + backend).selfSigned().ca().build("paho-root");
        Identity newServer = TestCertificate.builder("CN=localhost").dns("localhost").issuer(newCa).build("paho-server");
        Identity newClient = TestCertificate.builder("CN=rotated paho client").issuer(newCa).build("paho-client");
        Path trust = dir.resolve("ca.pem");
        Path chain = dir.resolve("client.pem");
        Path key = dir.resolve("client.key");
        Files.copy(oldCa.certificatePem(), trust);
        Files.copy(TestPki.get().client().certificatePem(), chain);
        Files.copy(TestPki.get().client().keyPem(), key);
        Properties props = new Properties();
        props.setProperty("tlsupgrade.backend", backend);
        props.setProperty("tlsupgrade.trustedCertificates", trust.toString());
        props.setProperty("tlsupgrade.clientCertificate", chain.toString());
        props.setProperty("tlsupgrade.clientKey", key.toString());
        props.setProperty("tlsupgrade.reloadInterval", "1ms");
        SSLSocketFactory factory = new TlsSocketFactory(props);

        try (MosquittoServer before = MosquittoServer.start(TlsVersion.TLS_1_2, TestPki.get().good(), oldCa);
                MosquittoServer after = MosquittoServer.start(TlsVersion.TLS_1_2, newServer, newCa)) {
            MqttClient first = connect(factory, before.port());
            publish(first, "before rotation");

            String pem = Files.readString(newCa.certificatePem());
            Files.writeString(trust, pem.substring(0, pem.length() / 2));
            Thread.sleep(5);
            MqttClient second = connect(factory, before.port());
            publish(second, "a half-written CA file changed nothing");
            second.disconnect();
            second.close();

            replace(trust, newCa.certificatePem());
            replace(chain, newClient.certificatePem());
            replace(key, newClient.keyPem());
            Thread.sleep(5);
            MqttClient third = connect(factory, after.port());
            publish(third, "after rotation, to the new CA's broker with the new client certificate");
            third.disconnect();
            third.close();

            publish(first, "the connection made before the rotation is still up");
            first.disconnect();
            first.close();
        }
    }

    private static MqttClient connect(SSLSocketFactory factory, int port) throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(factory);
        options.setConnectionTimeout(20);
        MqttClient client = new MqttClient("ssl://localhost:" + port, MqttClient.generateClientId(), new MemoryPersistence());
        client.connect(options);
        assertThat(client.isConnected()).isTrue();
        return client;
    }

    private static void publish(MqttClient client, String text) throws MqttException {
        MqttMessage m = new MqttMessage(text.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        client.publish("tlsupgrade/rotation", m);
    }

    private static void replace(Path target, Path source) throws Exception {
        Path aside = target.resolveSibling(target.getFileName() + ".new");
        Files.copy(source, aside, StandardCopyOption.REPLACE_EXISTING);
        Files.move(aside, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
