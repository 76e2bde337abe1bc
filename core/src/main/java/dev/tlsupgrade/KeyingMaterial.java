package dev.tlsupgrade;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLSocket;

/**
 * Keying material exported from a finished TLS connection (RFC 5705, RFC 8446 section 7.5): secret
 * bytes both ends derive alike, for protocols that bind their authentication to the TLS channel.
 * Needs a backend with {@link TlsFeature#KEYING_MATERIAL_EXPORT}: conscrypt. JDK 17 and tcnative
 * have no exporter call, and Bouncy Castle's low-level protocol exports only from inside its
 * handshake-complete callback.
 */
public final class KeyingMaterial {
    /** The RFC 9266 label of the {@code tls-exporter} channel binding. */
    public static final String TLS_EXPORTER_LABEL = "EXPORTER-Channel-Binding";

    private KeyingMaterial() {
    }

    /**
     * {@code length} bytes exported under the ASCII {@code label} with {@code context} (null for no
     * context) from {@code socket}, a socket a {@link TlsUpgrader} returned.
     *
     * @throws UnsupportedOperationException when the socket's backend cannot export, naming those that can
     */
    public static byte[] export(SSLSocket socket, String label, byte[] context, int length) throws IOException {
        Objects.requireNonNull(label, "label");
        if (length < 1 || length > 16384) {
            throw new IllegalArgumentException("length " + length + " is outside 1..16384");
        }
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(label)) {
            throw new IllegalArgumentException("label '" + label + "' is not ASCII");
        }
        if (!(socket instanceof UpgradedSocket upgraded)) {
            throw new IllegalArgumentException("the socket was not made by a TlsUpgrader: " + socket);
        }
        String backend = TlsHandshakeInfo.of(socket).map(TlsHandshakeInfo::backend).orElse(null);
        if (backend != null && !TlsBackends.get(backend).capabilities().has(TlsFeature.KEYING_MATERIAL_EXPORT)) {
            throw new UnsupportedOperationException("backend " + backend + " cannot export keying material. "
                    + Advice.backendsWith(Set.of(TlsFeature.KEYING_MATERIAL_EXPORT), backend));
        }
        return upgraded.exportKeyingMaterial(label, context == null ? null : context.clone(), length);
    }

    /** The {@code tls-exporter} channel binding of RFC 9266: 32 bytes under its label with an empty context. */
    public static byte[] tlsExporter(SSLSocket socket) throws IOException {
        return export(socket, TLS_EXPORTER_LABEL, new byte[0], 32);
    }
}
