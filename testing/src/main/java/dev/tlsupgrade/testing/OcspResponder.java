package dev.tlsupgrade.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real OCSP responder, reached on 127.0.0.1: {@code openssl ocsp -port} (OpenSSL 3.0 takes a port
 * number only, so it listens on every address of the machine while it runs), answering for the certificates
 * {@code issuer} issued from an index (openssl ca's database) that lists some as valid and some as
 * revoked; a serial it does not list is "unknown". It signs with {@code signer}'s key (the issuer
 * itself, or another key to play the wrong responder). Stopped on {@link #close()}.
 */
public final class OcspResponder implements LoopbackServer {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");

    private final Process process;
    private final int port;

    private OcspResponder(int port, Identity issuer, Identity signer, List<Identity> good, List<Identity> revoked)
            throws IOException, InterruptedException {
        this.port = port;
        Path dir = Files.createTempDirectory("tlsupgrade-ocsp");
        List<String> index = new ArrayList<>();
        String expiry = ZonedDateTime.now(ZoneOffset.UTC).plusYears(1).format(WHEN);
        String revokedAt = ZonedDateTime.now(ZoneOffset.UTC).minusHours(1).format(WHEN);
        for (Identity g : good) {
            index.add(String.join("\t", "V", expiry, "", serial(g), "unknown", "/CN=" + g.name()));
        }
        for (Identity r : revoked) {
            index.add(String.join("\t", "R", expiry, revokedAt, serial(r), "unknown", "/CN=" + r.name()));
        }
        Path indexFile = dir.resolve("index.txt");
        Files.write(indexFile, index);
        Path issuerPem = dir.resolve("issuer.pem");
        Files.writeString(issuerPem, TestPki.pem("CERTIFICATE", encoded(issuer)));
        Path signerPem = dir.resolve("signer.pem");
        Files.writeString(signerPem, TestPki.pem("CERTIFICATE", encoded(signer)));
        process = ServerProcesses.start("openssl ocsp", List.of("openssl", "ocsp", "-index", indexFile.toString(),
                "-port", String.valueOf(port), "-rsigner", signerPem.toString(), "-rkey", signer.keyPem().toString(),
                "-CA", issuerPem.toString(), "-nmin", "60", "-ignore_err",
                // One process would stay stuck on the readiness probe's empty connection (OpenSSL 3.0): two serve.
                "-multi", "2"), Map.of(), dir.resolve("ocsp.log"), port, 15);
    }

    /**
     * Starts a responder on {@code port} (the one the certificates' authorityInfoAccess names, see
     * {@link #url(int)}) for {@code issuer}'s certificates, signing as {@code signer}: {@code good}
     * are valid, {@code revoked} revoked, any other "unknown".
     */
    public static OcspResponder start(int port, Identity issuer, Identity signer, List<Identity> good,
            List<Identity> revoked) throws IOException, InterruptedException {
        return new OcspResponder(port, issuer, signer, good, revoked);
    }

    /** The URL of a responder on {@code port}, for a certificate's authorityInfoAccess. */
    public static String url(int port) {
        return "http://127.0.0.1:" + port + "/";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        ServerProcesses.stop(process);
    }

    private static String serial(Identity id) {
        String hex = id.certificate().getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT);
        return hex.length() % 2 == 0 ? hex : "0" + hex;
    }

    private static byte[] encoded(Identity id) {
        try {
            return id.certificate().getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
