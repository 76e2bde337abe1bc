package dev.tlsupgrade.testing;

import dev.tlsupgrade.TlsVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real TLS servers of the legacy zoo besides {@code openssl s_server}, each configured as old
 * deployments are, on 127.0.0.1 (their files in the test's directory):
 * <ul>
 *   <li>{@code gnutls-serv} in echo mode with a GnuTLS priority string: the stack of many appliances,
 *       and the one Debian server that still speaks RC4, 3DES and TLS without secure renegotiation.
 *       It has no option for its listening address, so for the seconds of a test it listens on every
 *       address of the machine; the tests connect over 127.0.0.1 only;
 *   <li>{@code stunnel4} pinned to one version, echoing through {@code /bin/cat};
 *   <li>{@code nginx} (one process, no daemon) pinned to one version, answering {@link #NGINX_BODY}.
 * </ul>
 */
public final class LegacyServers {
    /** What nginx answers every request with. */
    public static final String NGINX_BODY = "legacy zoo";

    private LegacyServers() {
    }

    public static PortProcess gnutls(Identity identity, String priority, Path dir) throws IOException {
        return PortProcess.start("gnutls-serv", Path.of("/usr/bin/gnutls-serv"), "gnutls-bin", dir, port -> List.of(
                "gnutls-serv", "--echo", "--disable-client-cert", "--port", String.valueOf(port),
                "--x509certfile", identity.certificatePem().toString(), "--x509keyfile", identity.keyPem().toString(),
                "--priority", priority));
    }

    /** stunnel4 speaking {@code version} only, at OpenSSL's security level 0 (TLS 1.0 needs it). */
    public static PortProcess stunnel(Identity identity, TlsVersion version, Path dir) throws IOException {
        return PortProcess.start("stunnel4", Path.of("/usr/bin/stunnel4"), "stunnel4", dir, port -> {
            Path conf = dir.resolve("stunnel-" + port + ".conf");
            Files.writeString(conf, String.join("\n",
                    "foreground = yes",
                    "pid =",
                    "[zoo]",
                    "accept = 127.0.0.1:" + port,
                    "cert = " + identity.certificatePem(),
                    "key = " + identity.keyPem(),
                    "sslVersion = " + version.jsseName(),
                    "securityLevel = 0",
                    "ciphers = DEFAULT:@SECLEVEL=0",
                    "exec = /bin/cat",
                    ""), StandardCharsets.US_ASCII);
            return List.of("/usr/bin/stunnel4", conf.toString());
        });
    }

    /** nginx serving HTTPS with {@code version} only, at OpenSSL's security level 0. */
    public static PortProcess nginx(Identity identity, TlsVersion version, Path dir) throws IOException {
        return nginx(identity, dir, false, version);
    }

    /**
     * nginx serving HTTPS with {@code versions}, at OpenSSL's security level 0, and HTTP/2 (ALPN
     * {@code h2}) next to HTTP/1.1 when {@code http2}.
     */
    public static PortProcess nginx(Identity identity, Path dir, boolean http2, TlsVersion... versions) throws IOException {
        String protocols = java.util.Arrays.stream(versions).map(TlsVersion::jsseName)
                .collect(java.util.stream.Collectors.joining(" "));
        return PortProcess.start("nginx", Path.of("/usr/sbin/nginx"), "nginx-light", dir, port -> {
            Path prefix = Files.createDirectories(dir.resolve("nginx-" + port));
            Path conf = prefix.resolve("nginx.conf");
            StringBuilder temp = new StringBuilder();
            for (String kind : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
                temp.append("  ").append(kind).append("_temp_path ").append(prefix.resolve(kind)).append(";\n");
            }
            Files.writeString(conf, String.join("\n",
                    "daemon off;",
                    "master_process off;",
                    "pid " + prefix.resolve("nginx.pid") + ";",
                    "error_log stderr;",
                    "events { worker_connections 64; }",
                    "http {",
                    "  access_log off;",
                    temp.toString(),
                    "  server {",
                    "    listen 127.0.0.1:" + port + " ssl" + (http2 ? " http2" : "") + ";",
                    "    ssl_certificate " + identity.certificatePem() + ";",
                    "    ssl_certificate_key " + identity.keyPem() + ";",
                    "    ssl_protocols " + protocols + ";",
                    "    ssl_ciphers DEFAULT:@SECLEVEL=0;",
                    "    location / { return 200 \"" + NGINX_BODY + "\\n\"; }",
                    "  }",
                    "}",
                    ""), StandardCharsets.US_ASCII);
            return List.of("/usr/sbin/nginx", "-p", prefix.toString(), "-c", conf.toString());
        });
    }
}
