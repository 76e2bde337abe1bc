package dev.tlsupgrade.internal.material;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys and certificates as openssl writes them: the forms users hand us. */
class PemTest {
    @TempDir
    Path dir;

    private Path openssl(String out, String... args) throws Exception {
        Path file = dir.resolve(out);
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", args[0], "-out", file.toString()));
        cmd.addAll(List.of(args).subList(1, args.length));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return file;
    }

    @Test
    void readsPkcs1RsaPkcs8AndSec1EcKeys() throws Exception {
        Path pkcs1 = openssl("rsa1.pem", "genrsa", "-traditional", "2048");
        assertThat(Files.readString(pkcs1)).contains("BEGIN RSA PRIVATE KEY");
        Path pkcs8 = openssl("rsa8.pem", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048");
        assertThat(Files.readString(pkcs8)).contains("BEGIN PRIVATE KEY");
        Path sec1 = openssl("ec.pem", "ecparam", "-genkey", "-name", "prime256v1", "-noout");
        assertThat(Files.readString(sec1)).contains("BEGIN EC PRIVATE KEY");

        PrivateKey rsa1 = Pem.readPrivateKey(pkcs1);
        PrivateKey rsa8 = Pem.readPrivateKey(pkcs8);
        PrivateKey ec = Pem.readPrivateKey(sec1);
        assertThat(rsa1.getAlgorithm()).isEqualTo("RSA");
        assertThat(rsa8.getAlgorithm()).isEqualTo("RSA");
        assertThat(ec.getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void readsEveryCertificateOfABundle() throws Exception {
        Path key = openssl("k.pem", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        Path a = openssl("a.crt", "req", "-x509", "-key", key.toString(), "-subj", "/CN=a", "-days", "1");
        Path b = openssl("b.crt", "req", "-x509", "-key", key.toString(), "-subj", "/CN=b", "-days", "1");
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, "# a comment\n" + Files.readString(a) + "text between\n" + Files.readString(b));
        assertThat(Pem.readCertificates(bundle)).extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=a", "CN=b");
    }

    @Test
    void explainsWhatItCannotRead() throws Exception {
        Path encrypted = openssl("enc.pem", "genpkey", "-algorithm", "RSA", "-aes-128-cbc", "-pass", "pass:secret");
        assertThatThrownBy(() -> Pem.readPrivateKey(encrypted)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encrypted").hasMessageContaining("password");
        assertThat(Pem.readPrivateKey(encrypted, "secret".toCharArray()).getAlgorithm()).isEqualTo("RSA");
        assertThatThrownBy(() -> Pem.readPrivateKey(encrypted, "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wrong password");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here");
        assertThatThrownBy(() -> Pem.readCertificates(empty)).hasMessageContaining("no '-----BEGIN CERTIFICATE-----'");
        assertThatThrownBy(() -> Pem.readPrivateKey(empty)).hasMessageContaining("no private key");
        assertThatThrownBy(() -> Pem.readCertificates(dir.resolve("missing.pem")))
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("missing.pem");
    }
}
