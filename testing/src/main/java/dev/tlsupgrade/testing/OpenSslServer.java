package dev.tlsupgrade.testing;

import dev.tlsupgrade.TlsVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code openssl s_server} on 127.0.0.1, in its line-reversing mode ({@code -rev}: each line the
 * client sends comes back reversed), optionally pinned to one TLS version. TLS 1.0/1.1 are served
 * with {@code DEFAULT:@SECLEVEL=0}, which OpenSSL 3 needs for them. With {@code requireSni(name)} it
 * answers a ClientHello whose SNI is {@code name} with {@link TestPki#rootIssued()}'s certificate,
 * and any other SNI with the fatal alert {@code unrecognized_name}.
 * Stops on {@link #close()}; a test that cannot start it fails (openssl must be on the PATH).
 */
public final class OpenSslServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final List<String> output = new ArrayList<>();

    private OpenSslServer(Builder b) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int p = Loopback.freePort(Loopback.v4());
            List<String> cmd = command(b, p);
            Process proc;
            try {
                proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new AssertionError("cannot run 'openssl' (" + e.getMessage() + "); install it "
                        + "(apt-get install openssl) - ./test does", e);
            }
            if (waitForAccept(proc)) {
                this.process = proc;
                this.port = p;
                return;
            }
            proc.destroyForcibly();
            last = new IOException("openssl s_server did not start: " + String.join("\n", snapshot()) + "\ncommand: " + cmd);
            synchronized (output) {
                output.clear();
            }
        }
        throw last;
    }

    private static List<String> command(Builder b, int port) {
        Identity id = b.identity;
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port,
                "-cert", id.leafPem().toString(), "-key", id.keyPem().toString()));
        if (b.exportLabel == null) {
            cmd.add("-rev");
        } else {
            // Connection details (the exported keying material among them) are printed in the default mode only.
            cmd.addAll(List.of("-keymatexport", b.exportLabel, "-keymatexportlen", String.valueOf(b.exportLength)));
        }
        if (id.issuerChainPem() != null) {
            cmd.addAll(List.of("-cert_chain", id.issuerChainPem().toString()));
        }
        if (b.version != null) {
            cmd.add(switch (b.version) {
                case TLS_1_0 -> "-tls1";
                case TLS_1_1 -> "-tls1_1";
                case TLS_1_2 -> "-tls1_2";
                case TLS_1_3 -> "-tls1_3";
            });
        }
        if (b.oldest != null) {
            cmd.addAll(List.of("-min_protocol", b.oldest.jsseName(), "-max_protocol", b.newest.jsseName()));
        }
        if (b.serverPreference) {
            cmd.add("-serverpref");
        }
        if (b.dhParams != null) {
            cmd.addAll(List.of("-dhparam", b.dhParams.toString()));
        }
        cmd.addAll(List.of("-cipher", b.cipher == null ? "DEFAULT:@SECLEVEL=0" : b.cipher));
        if (b.sigalgs != null) {
            cmd.addAll(List.of("-sigalgs", b.sigalgs));
        }
        if (b.sniName != null) {
            // s_server gives its SNI context no chain, so it serves a leaf the root issued itself.
            Identity direct = TestPki.get().rootIssued();
            cmd.addAll(List.of("-servername", b.sniName, "-servername_fatal", "-cert2", direct.leafPem().toString(),
                    "-key2", direct.keyPem().toString()));
        }
        if (b.clientCa != null) {
            cmd.addAll(List.of("-Verify", "1", "-CAfile", b.clientCa.toString(), "-verify_return_error"));
        }
        if (b.alpn != null) {
            cmd.addAll(List.of("-alpn", b.alpn));
        }
        if (b.ocspResponse != null) {
            cmd.addAll(List.of("-status_file", b.ocspResponse.toString()));
        }
        return cmd;
    }

    private boolean waitForAccept(Process proc) {
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                        output.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            synchronized (output) {
                output.notifyAll();
            }
        }, "openssl-s_server-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (output) {
            while (System.nanoTime() < deadline) {
                if (output.stream().anyMatch(l -> l.startsWith("ACCEPT"))) {
                    return true;
                }
                if (!proc.isAlive() && !reader.isAlive()) {
                    return false;
                }
                try {
                    output.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return port;
    }

    /** Everything s_server printed so far. */
    public List<String> snapshot() {
        synchronized (output) {
            return new ArrayList<>(output);
        }
    }

    @Override
    public void close() {
        ServerProcesses.stopUninterruptibly(process);
    }

    /** Settings of an {@link OpenSslServer}. */
    public static final class Builder {
        private Identity identity = TestPki.get().good();
        private TlsVersion version;
        private String cipher;
        private String sigalgs;
        private String exportLabel;
        private int exportLength;
        private String sniName;
        private Path clientCa;
        private String alpn;
        private Path ocspResponse;
        private TlsVersion oldest;
        private TlsVersion newest;
        private boolean serverPreference;
        private Path dhParams;

        private Builder() {
        }

        /** Serves the versions from {@code oldest} to {@code newest}. */
        public Builder versions(TlsVersion oldest, TlsVersion newest) {
            this.oldest = oldest;
            this.newest = newest;
            return this;
        }

        /** Chooses the cipher suite by the server's order, not the client's (as SChannel and most appliances do). */
        public Builder serverPreference() {
            this.serverPreference = true;
            return this;
        }

        /** Finite-field Diffie-Hellman parameters (PEM) for DHE suites. */
        public Builder dhParams(Path pem) {
            this.dhParams = pem;
            return this;
        }

        /** Staples the DER OCSP response in {@code file} when a client asks (status_request). */
        public Builder stapleOcspResponse(Path file) {
            this.ocspResponse = file;
            return this;
        }

        public Builder identity(Identity id) {
            this.identity = id;
            return this;
        }

        /** Serves only {@code v}; unset: every version OpenSSL allows by default (1.2, 1.3). */
        public Builder version(TlsVersion v) {
            this.version = v;
            return this;
        }

        /** Serves every version from TLS 1.0 to 1.3 (what OpenSSL can, with the legacy ones at security level 0). */
        public Builder everyVersion() {
            return versions(TlsVersion.TLS_1_0, TlsVersion.TLS_1_3);
        }

        /**
         * Prints the keying material exported under {@code label} (no context, {@code length} bytes)
         * after each handshake ("Keying material: HEX"); the server then answers nothing (no -rev).
         */
        public Builder keyingMaterialExport(String label, int length) {
            this.exportLabel = label;
            this.exportLength = length;
            return this;
        }

        /** The signature algorithms the server may sign its handshake with (s_server -sigalgs, e.g. {@code RSA+SHA1}). */
        public Builder sigalgs(String list) {
            this.sigalgs = list;
            return this;
        }

        /** The OpenSSL cipher string for TLS 1.2 and older (default {@code DEFAULT:@SECLEVEL=0}). */
        public Builder cipher(String c) {
            this.cipher = c;
            return this;
        }

        /**
         * Serves {@link TestPki#rootIssued()} to a ClientHello whose SNI is {@code name}, the normal identity
         * when there is no SNI, and the alert {@code unrecognized_name} for any other SNI.
         */
        public Builder requireSni(String name) {
            this.sniName = name;
            return this;
        }

        /** Requires a client certificate that chains to the CA in {@code caPem}. */
        public Builder requireClientCertificate(Path caPem) {
            this.clientCa = caPem;
            return this;
        }

        /** Comma-separated ALPN protocols the server accepts. */
        public Builder alpn(String protocols) {
            this.alpn = protocols;
            return this;
        }

        public OpenSslServer start() throws IOException {
            return new OpenSslServer(this);
        }
    }
}
