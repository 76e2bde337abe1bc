package dev.tlsupgrade.benchmarks;

import dev.tlsupgrade.TlsVersion;
import java.io.IOException;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLSocket;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What every benchmark shares: the TLS version and the path (through tlsupgrade, or the provider
 * used directly), and one server of the backend's kind with one client, stopped after the trial.
 * Each benchmark class declares its own {@code backend} parameter, since not every backend can do
 * every measurement.
 */
@State(Scope.Benchmark)
public abstract class Connections {
    /** The suite all backends are compared on: AES-128-GCM, in each version's name for it. */
    static String aes128Gcm(TlsVersion version) {
        return version == TlsVersion.TLS_1_3 ? "TLS_AES_128_GCM_SHA256" : "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
    }

    /** AES-128-GCM for {@code version} with a server key like {@code id}'s (ECDSA or RSA). */
    static String aes128Gcm(TlsVersion version, dev.tlsupgrade.testing.Identity id) {
        return version != TlsVersion.TLS_1_3 && id.privateKey().getAlgorithm().equals("EC")
                ? "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" : aes128Gcm(version);
    }

    @Param({"TLSv1.2", "TLSv1.3"})
    public String version;

    @Param({"tlsupgrade", "raw"})
    public String path;

    BenchServer server;
    Client client;
    /** The connection a benchmark keeps open for the whole trial, if it does. */
    SSLSocket connection;

    TlsVersion tlsVersion() {
        return TlsVersion.fromJsseName(version).orElseThrow();
    }

    /** Starts a {@code backend} server (suite pinned, or the provider's choice when null) and a client. */
    void start(String backend, String cipherSuite, BenchServer.Mode mode) throws IOException, GeneralSecurityException {
        server = BenchServer.start(backend, tlsVersion(), cipherSuite, mode);
        client = Client.create(backend, path, tlsVersion());
    }

    @TearDown
    public void stop() throws IOException {
        if (connection != null) {
            connection.close();
        }
        client.close();
        server.close();
    }
}
