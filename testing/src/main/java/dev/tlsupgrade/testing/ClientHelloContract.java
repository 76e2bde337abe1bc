package dev.tlsupgrade.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tlsupgrade.TlsBackend;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.internal.policy.SuitePolicy;
import java.io.DataInputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What each backend puts on the wire, read from its ClientHello by a raw listener (its own parser,
 * not core's): the suites of core's policy and nothing else, AEAD before CBC, static-RSA and 3DES
 * only when a legacy version is offered, and no SHA-1 signature scheme without a legacy version
 * where the backend lets core choose its schemes.
 */
@org.junit.jupiter.api.extension.ExtendWith(JvmStateGuard.class)
@Timeout(60)
public abstract class ClientHelloContract {
    private static final int SCSV_RENEGOTIATION = 0x00ff;
    private static final int SCSV_FALLBACK = 0x5600;

    protected abstract String backendName();

    /** Whether core can choose this backend's signature schemes (tcnative and Conscrypt offer no way). */
    protected boolean choosesSignatureSchemes() {
        return true;
    }

    /**
     * @param size the ClientHello record's length field, the size an F5-style check sees
     * @param extensions the extension types, in order
     */
    private record Hello(List<Integer> suites, List<Integer> signatureSchemes, int size, List<Integer> extensions) {
    }

    private Hello capture(TlsClientConfig config) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, Loopback.v4());
                TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(config)) {
            CompletableFuture<byte[]> hello = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] header = new byte[5];
                    in.readFully(header);
                    byte[] body = new byte[((header[3] & 0xff) << 8) | (header[4] & 0xff)];
                    in.readFully(body);
                    return body;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                upgrader.upgrade(Loopback.connect(Loopback.v4(), server.getLocalPort()), "localhost", server.getLocalPort())
                        .close();
            } catch (TlsUpgradeException expected) {
                // the listener hangs up after the ClientHello
            }
            return parse(hello.get(10, TimeUnit.SECONDS));
        }
    }

    private static Hello parse(byte[] h) {
        int p = 4 + 2 + 32; // handshake header, legacy_version, random
        p += 1 + (h[p] & 0xff);
        int suitesLength = u16(h, p);
        List<Integer> suites = new ArrayList<>();
        for (int i = 0; i < suitesLength; i += 2) {
            suites.add(u16(h, p + 2 + i));
        }
        p += 2 + suitesLength;
        p += 1 + (h[p] & 0xff);
        int end = p + 2 + u16(h, p);
        p += 2;
        List<Integer> schemes = new ArrayList<>();
        List<Integer> extensions = new ArrayList<>();
        while (p + 4 <= end) {
            int type = u16(h, p);
            int length = u16(h, p + 2);
            extensions.add(type);
            if (type == 13) {
                for (int i = 0; i < u16(h, p + 4); i += 2) {
                    schemes.add(u16(h, p + 6 + i));
                }
            }
            p += 4 + length;
        }
        return new Hello(suites, schemes, h.length, extensions);
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static boolean grease(int code) {
        return (code & 0x0f0f) == 0x0a0a && (code >> 8) == (code & 0xff);
    }

    private static void assertPolicy(Hello hello, boolean legacy) {
        List<Integer> offered = new ArrayList<>(hello.suites());
        offered.removeIf(c -> c == SCSV_RENEGOTIATION || grease(c));
        assertThat(offered).as("suites offered").isNotEmpty();
        assertThat(SuitePolicy.allowedCodes(legacy)).as("the policy's suites").containsAll(offered);
        int lastAead = -1;
        int firstOther = Integer.MAX_VALUE;
        for (int i = 0; i < offered.size(); i++) {
            if (SuitePolicy.aeadCodes().contains(offered.get(i))) {
                lastAead = i;
            } else {
                firstOther = Math.min(firstOther, i);
            }
        }
        assertThat(lastAead).as("AEAD suites come before every CBC suite: " + hex(offered)).isLessThan(firstOther);
        assertThat(offered).as("ECDHE-RSA with AES-CBC stays offered for old servers").contains(0xc013);
    }

    private static String hex(List<Integer> codes) {
        List<String> out = new ArrayList<>();
        codes.forEach(c -> out.add(String.format("%04x", c)));
        return out.toString();
    }

    /**
     * A backend that claims {@code CLASSIC_HELLO} sends no supported_versions extension when TLS 1.3 is
     * not offered, so that servers older than that extension are reached; one that does not claim it
     * sends the extension anyway.
     */
    @Test
    void aHelloWithoutTls13CarriesNoSupportedVersionsWhereClaimed() throws Exception {
        Hello hello = capture(TlsClientConfig.builder().protocols(TlsVersion.TLS_1_2).build());
        boolean claimed = TlsBackends.get(backendName()).capabilities().features()
                .contains(dev.tlsupgrade.TlsFeature.CLASSIC_HELLO);
        assertThat(hello.extensions().contains(43)).as("supported_versions in a TLS 1.2-only hello " + hello.extensions())
                .isEqualTo(!claimed);
    }

    /**
     * A backend that claims {@code CLIENT_HELLO_PADDING} never sends a hello of 256-511 bytes, which some
     * F5 front ends swallow; one that does not claim it sends one with its defaults.
     */
    @Test
    void theHelloAvoidsTheSizeSomeFrontEndsSwallowWhereClaimed() throws Exception {
        List<TlsClientConfig> configs = List.of(TlsClientConfig.defaults(),
                TlsClientConfig.builder().protocols(TlsVersion.TLS_1_2).build(),
                TlsClientConfig.builder().alpn("h2", "http/1.1").build(),
                TlsClientConfig.builder().protocols(TlsVersion.TLS_1_2)
                        .cipherSuites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").build());
        List<Integer> sizes = new ArrayList<>();
        for (TlsClientConfig config : configs) {
            sizes.add(capture(config).size());
        }
        boolean claimed = TlsBackends.get(backendName()).capabilities().features()
                .contains(dev.tlsupgrade.TlsFeature.CLIENT_HELLO_PADDING);
        if (claimed) {
            assertThat(sizes).as("hello sizes").noneMatch(n -> n >= 256 && n < 512);
        } else {
            assertThat(sizes.get(0)).as("the default hello of a backend that cannot pad").isBetween(256, 511);
        }
    }

    @Test
    void theDefaultConfigOffersThePolicysModernSuites() throws Exception {
        Hello hello = capture(TlsClientConfig.builder().handshakeTimeout(Duration.ofSeconds(5)).build());
        assertPolicy(hello, false);
        assertThat(hello.suites()).as("no static RSA, no 3DES").doesNotContain(0x002f, 0x0035, 0x009c, 0x000a, 0xc012);
        if (choosesSignatureSchemes()) {
            assertThat(hello.signatureSchemes()).as("no SHA-1 signature scheme").doesNotContain(0x0201, 0x0203, 0x0202)
                    .isNotEmpty();
        }
    }

    /** Whatever the ClientHello offered, a server that signs with SHA-1 is refused without a legacy version. */
    @Test
    void aServerSigningItsKeyExchangeWithSha1IsRefused() throws Exception {
        try (OpenSslServer server = OpenSslServer.builder().version(TlsVersion.TLS_1_2).sigalgs("RSA+SHA1").start();
                TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(TlsClientConfig.builder()
                        .trustedCertificates(TestPki.get().caPem()).handshakeTimeout(Duration.ofSeconds(10)).build())) {
            TlsUpgradeException e = org.assertj.core.api.Assertions.catchThrowableOfType(TlsUpgradeException.class,
                    () -> upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost", server.port()));
            assertThat(e).isNotNull();
            if (choosesSignatureSchemes()) {
                // SHA-1 was never offered, so the server finds nothing to sign with and says handshake_failure.
                assertThat(e.kind()).as(e.getMessage()).isEqualTo(dev.tlsupgrade.FailureKind.NO_SHARED_CIPHER);
            } else {
                assertThat(e.kind()).as(e.getMessage()).isEqualTo(dev.tlsupgrade.FailureKind.POLICY_REFUSED);
                assertThat(e.getMessage()).contains("SHA-1", "0x0201");
            }
        }
    }

    /** RFC 7507: the fallback signal is on the wire exactly when asked for, on backends that claim it; the others refuse it. */
    @Test
    void theFallbackSignalIsSentWhereClaimedAndRefusedElsewhere() throws Exception {
        TlsBackend backend = TlsBackends.get(backendName());
        TlsClientConfig fallback = TlsClientConfig.builder().protocols(TlsVersion.TLS_1_2).fallbackSignal()
                .handshakeTimeout(Duration.ofSeconds(5)).build();
        if (!backend.capabilities().has(dev.tlsupgrade.TlsFeature.FALLBACK_SCSV)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> backend.newUpgrader(fallback))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FALLBACK_SCSV");
            return;
        }
        assertThat(capture(fallback).suites()).as("TLS_FALLBACK_SCSV").contains(SCSV_FALLBACK);
        assertThat(capture(TlsClientConfig.builder().protocols(TlsVersion.TLS_1_2).handshakeTimeout(Duration.ofSeconds(5))
                .build()).suites()).as("no TLS_FALLBACK_SCSV unless asked").doesNotContain(SCSV_FALLBACK);
    }

    @Test
    void aLegacyConfigAddsStaticRsaAndKeepsTheOrder() throws Exception {
        TlsBackend backend = TlsBackends.get(backendName());
        assumeTrue(backend.capabilities().supports(TlsVersion.TLS_1_0), () -> backendName() + " does not claim TLS 1.0");
        Hello hello = capture(TlsClientConfig.builder().protocols(TlsVersion.TLS_1_0, TlsVersion.TLS_1_2)
                .allowLegacyProtocols().handshakeTimeout(Duration.ofSeconds(5)).build());
        assertPolicy(hello, true);
        assertThat(hello.suites()).as("static RSA for old servers").contains(0x002f);
    }
}
