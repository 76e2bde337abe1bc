package dev.tlsupgrade.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An HTTPS server in this JVM (the JDK's own, over SunJSSE) on 127.0.0.1, serving
 * {@link TestPki#good()} with the given TLS versions. Every request gets {@code 200} and a body
 * that names the TLS version the request came over, so a client test can check it.
 */
public final class HttpsTestServer implements LoopbackServer {
    private final HttpsServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "https-test-server");
        t.setDaemon(true);
        return t;
    });

    private HttpsTestServer(String... protocols) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS", "SunJSSE");
            context.init(TestPki.get().good().keyManagerFactory().getKeyManagers(), null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        server = HttpsServer.create(new InetSocketAddress(Loopback.v4(), 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = context.getDefaultSSLParameters();
                p.setProtocols(protocols);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/", exchange -> {
            String version = ((HttpsExchange) exchange).getSSLSession().getProtocol();
            byte[] body = ("hello over " + version).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    /** A server speaking {@code protocols} (JSSE names, e.g. {@code "TLSv1.3"}). */
    public static HttpsTestServer start(String... protocols) throws IOException {
        return new HttpsTestServer(protocols);
    }

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL of the root path, by the name {@code localhost} (which the test certificate holds). */
    public String url() {
        return "https://localhost:" + port() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
