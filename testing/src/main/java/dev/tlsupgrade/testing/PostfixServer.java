package dev.tlsupgrade.testing;

import dev.tlsupgrade.TlsVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real SMTP server: postfix's master in the foreground on 127.0.0.1 with STARTTLS pinned to one
 * TLS version, serving {@link TestPki#good()}, from a private configuration and queue in a
 * temporary folder ({@code /etc/postfix} is neither read nor touched). Stopped on
 * {@link #close()}: SIGTERM to master ends its children. A machine without postfix fails the test
 * (./test installs it).
 *
 * <p>Postfix logs its fatal errors to syslog, which test machines lack, so the log goes to a file
 * in the folder ({@code maillog_file}, allowed by {@code maillog_file_prefixes}) and is quoted when
 * the server does not start.
 */
public final class PostfixServer implements LoopbackServer {
    private static final Path POSTFIX = Path.of("/usr/sbin/postfix");
    private static final Path MASTER = Path.of("/usr/lib/postfix/sbin/master");

    private final Process process;
    private final int port;

    private PostfixServer(TlsVersion version) throws IOException, InterruptedException {
        if (!Files.isExecutable(POSTFIX) || !Files.isExecutable(MASTER)) {
            throw new AssertionError("postfix is not installed (" + POSTFIX + "); apt-get install postfix - ./test does");
        }
        Path dir = Files.createTempDirectory("tlsupgrade-postfix");
        // postfix's daemons run as the postfix user and must reach the queue below this folder
        dir.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        Path etc = Files.createDirectory(dir.resolve("etc"));
        Path queue = Files.createDirectory(dir.resolve("queue"));
        Path maillog = dir.resolve("maillog");
        port = Loopback.freePort(Loopback.v4());
        Identity id = TestPki.get().good();
        String protocols = ">=" + version.jsseName() + ", <=" + version.jsseName();
        Files.writeString(etc.resolve("main.cf"), String.join("\n",
                "compatibility_level = 3.6",
                "queue_directory = " + queue,
                "data_directory = " + dir.resolve("data"),
                "maillog_file = " + maillog,
                "maillog_file_prefixes = " + dir,
                "myhostname = localhost",
                "mydestination =",
                "inet_interfaces = 127.0.0.1",
                "inet_protocols = ipv4",
                "smtpd_tls_security_level = may",
                "smtpd_tls_cert_file = " + id.certificatePem(),
                "smtpd_tls_key_file = " + id.keyPem(),
                "smtpd_tls_protocols = " + protocols,
                "smtpd_tls_mandatory_protocols = " + protocols,
                "tls_medium_cipherlist = DEFAULT:@SECLEVEL=0",
                ""));
        // Only what an SMTP session with STARTTLS needs; chroot off, the queue is not under /var.
        Files.writeString(etc.resolve("master.cf"), String.join("\n",
                "127.0.0.1:" + port + " inet n - n - - smtpd",
                "postlog unix-dgram n - n - 1 postlogd",
                "tlsmgr unix - - n 1000? 1 tlsmgr",
                "anvil unix - - n - 1 anvil",
                "cleanup unix n - n - 0 cleanup",
                "qmgr unix n - n 300 1 qmgr",
                "rewrite unix - - n - - trivial-rewrite",
                "bounce unix - - n - 0 bounce",
                "defer unix - - n - 0 bounce",
                "trace unix - - n - 0 bounce",
                "verify unix - - n - 1 verify",
                "proxymap unix - - n - - proxymap",
                "scache unix - - n - 1 scache",
                ""));
        ServerProcesses.run(List.of(POSTFIX.toString(), "-c", etc.toString(), "set-permissions", "create-missing"), 30,
                maillog);
        ProcessBuilder pb = new ProcessBuilder(List.of(MASTER.toString(), "-c", etc.toString(), "-d"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile());
        pb.environment().put("MAIL_CONFIG", etc.toString());
        process = pb.start();
        ServerProcesses.awaitPort("postfix", process, port, 20, dir.resolve("stdout.log"), maillog);
    }

    /** postfix speaking only {@code version} after STARTTLS. */
    public static PostfixServer start(TlsVersion version) throws IOException, InterruptedException {
        return new PostfixServer(version);
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
