package dev.tlsupgrade.testing;

import dev.tlsupgrade.TlsVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real IMAP server: dovecot in the foreground on 127.0.0.1 with STARTTLS, pinned to one TLS
 * version (dovecot 2.3 has only a minimum, so the maximum comes from a per-process OpenSSL config
 * passed through {@code import_environment}), serving {@link TestPki#good()}. Stopped on
 * {@link #close()}. A machine without dovecot fails the test (./test installs it).
 */
public final class DovecotServer implements LoopbackServer {
    private static final Path DOVECOT = Path.of("/usr/sbin/dovecot");

    private final Process process;
    private final int port;
    private final Path dir;

    private DovecotServer(TlsVersion version) throws IOException, InterruptedException {
        if (!Files.isExecutable(DOVECOT)) {
            throw new AssertionError("dovecot is not installed (" + DOVECOT + "); apt-get install dovecot-imapd - ./test does");
        }
        dir = Files.createTempDirectory("tlsupgrade-dovecot");
        dir.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        port = Loopback.freePort(Loopback.v4());
        Identity id = TestPki.get().good();
        Path opensslConf = dir.resolve("openssl.cnf");
        Files.writeString(opensslConf, OpenSslConf.pinned(version));
        Path conf = dir.resolve("dovecot.conf");
        Files.writeString(conf, String.join("\n",
                "base_dir = " + dir.resolve("run"),
                "state_dir = " + dir.resolve("state"),
                "log_path = " + dir.resolve("dovecot.log"),
                "protocols = imap",
                "listen = 127.0.0.1",
                "ssl = yes",
                "ssl_cert = <" + id.certificatePem(),
                "ssl_key = <" + id.keyPem(),
                "ssl_min_protocol = " + version.jsseName(),
                "ssl_cipher_list = DEFAULT:@SECLEVEL=0",
                "import_environment = TZ OPENSSL_CONF=" + opensslConf,
                "disable_plaintext_auth = no",
                "auth_mechanisms = plain",
                "mail_location = maildir:" + dir.resolve("mail"),
                "passdb {",
                "  driver = static",
                "  args = password=test",
                "}",
                "userdb {",
                "  driver = static",
                "  args = uid=nobody gid=nogroup home=" + dir.resolve("home"),
                "}",
                "service imap-login {",
                "  inet_listener imap {",
                "    address = 127.0.0.1",
                "    port = " + port,
                "  }",
                "  inet_listener imaps {",
                "    port = 0",
                "  }",
                "}",
                ""));
        process = ServerProcesses.start("dovecot", List.of(DOVECOT.toString(), "-F", "-c", conf.toString()),
                java.util.Map.of("OPENSSL_CONF", opensslConf.toString()), dir.resolve("stdout.log"), port, 15,
                dir.resolve("dovecot.log"));
    }

    /** dovecot speaking only {@code version} after STARTTLS. */
    public static DovecotServer start(TlsVersion version) throws IOException, InterruptedException {
        return new DovecotServer(version);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        ServerProcesses.stop(process);
    }
}
