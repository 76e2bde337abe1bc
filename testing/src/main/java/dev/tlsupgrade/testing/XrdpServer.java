package dev.tlsupgrade.testing;

import dev.tlsupgrade.TlsVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real RDP server: xrdp on 127.0.0.1 with {@code security_layer=tls} (or {@code rdp}) and
 * {@code ssl_protocols} pinned to one TLS version, serving {@link TestPki#good()}; no desktop or
 * session manager is needed for the X.224 negotiation and the TLS handshake. Stopped on
 * {@link #close()}. A machine without xrdp fails the test (./test installs it).
 */
public final class XrdpServer implements LoopbackServer {
    private static final Path XRDP = Path.of("/usr/sbin/xrdp");

    private final Process process;
    private final int port;
    private final Path dir;

    private XrdpServer(TlsVersion version, boolean tls, Identity id) throws IOException, InterruptedException {
        if (!Files.isExecutable(XRDP)) {
            throw new AssertionError("xrdp is not installed (" + XRDP + "); apt-get install xrdp - ./test does");
        }
        Files.createDirectories(Path.of("/run/xrdp/sockdir"));
        this.dir = Files.createTempDirectory("tlsupgrade-xrdp");
        this.port = Loopback.freePort(Loopback.v4());
        Path ini = dir.resolve("xrdp.ini");
        Files.writeString(ini, String.join("\n",
                "[Globals]",
                "port=tcp://127.0.0.1:" + port,
                "security_layer=" + (tls ? "tls" : "rdp"),
                "certificate=" + id.certificatePem(),
                "key_file=" + id.keyPem(),
                "ssl_protocols=" + version.jsseName(),
                "tls_ciphers=DEFAULT:@SECLEVEL=0",
                "crypt_level=high",
                "",
                "[Logging]",
                "LogFile=" + dir.resolve("xrdp.log"),
                "LogLevel=INFO",
                "EnableSyslog=false",
                ""));
        process = new ProcessBuilder(List.of(XRDP.toString(), "--nodaemon", "--config", ini.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        ServerProcesses.awaitPort("xrdp", process, port, 15, dir.resolve("stdout.log"), dir.resolve("xrdp.log"));
    }

    /** xrdp with security_layer=tls, speaking only {@code version}. */
    public static XrdpServer tls(TlsVersion version) throws IOException, InterruptedException {
        return new XrdpServer(version, true, TestPki.get().good());
    }

    /** xrdp with security_layer=tls, speaking only {@code version}, presenting {@code identity} (a self-signed one, say). */
    public static XrdpServer tls(TlsVersion version, Identity identity) throws IOException, InterruptedException {
        return new XrdpServer(version, true, identity);
    }

    /** xrdp with security_layer=rdp: standard RDP security, no TLS. */
    public static XrdpServer rdpSecurityOnly() throws IOException, InterruptedException {
        return new XrdpServer(TlsVersion.TLS_1_2, false, TestPki.get().good());
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
