package dev.tlsupgrade.jsse;

import dev.tlsupgrade.TlsVersion;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.Security;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * Whether SunJSSE in this JVM will really speak TLS 1.0/1.1, and the JVM-wide switch that makes it.
 *
 * <p>SunJSSE reads {@code jdk.tls.disabledAlgorithms} once, at its first TLS use, and no
 * per-connection setting can re-enable what it disables. So the only honest test is to ask it: an
 * in-memory client engine limited to the version must produce a ClientHello. That probe is run only
 * when the property text permits the version, because the probe itself is a "first TLS use" that
 * would make a later opt-in too late.
 */
final class LegacyProtocols {
    static final String PROPERTY = "jdk.tls.disabledAlgorithms";

    private static final Set<TlsVersion> PROVEN = EnumSet.noneOf(TlsVersion.class);

    private LegacyProtocols() {
    }

    static synchronized boolean enabledInThisJvm(TlsVersion version) {
        if (PROVEN.contains(version)) {
            return true;
        }
        if (disabledByProperty(Security.getProperty(PROPERTY), version)) {
            return false;
        }
        if (engineOffers(version)) {
            PROVEN.add(version);
            return true;
        }
        return false;
    }

    static boolean disabledByProperty(String property, TlsVersion version) {
        return property != null && tokens(property).stream().anyMatch(t -> t.equalsIgnoreCase(version.jsseName()));
    }

    /** {@code property} without the TLSv1 and TLSv1.1 entries, other entries kept as written. */
    static String withoutLegacy(String property) {
        List<String> kept = new ArrayList<>();
        for (String t : tokens(property == null ? "" : property)) {
            String lower = t.toLowerCase(Locale.ROOT);
            if (!lower.equals("tlsv1") && !lower.equals("tlsv1.1")) {
                kept.add(t);
            }
        }
        return String.join(", ", kept);
    }

    private static List<String> tokens(String property) {
        List<String> out = new ArrayList<>();
        for (String t : property.split(",")) {
            if (!t.isBlank()) {
                out.add(t.trim());
            }
        }
        return out;
    }

    private static boolean engineOffers(TlsVersion version) {
        try {
            SSLContext context = SSLContext.getInstance("TLS", Security.getProvider("SunJSSE"));
            context.init(new KeyManager[0], new TrustManager[0], null);
            SSLEngine engine = context.createSSLEngine("legacy-probe.invalid", 443);
            engine.setUseClientMode(true);
            engine.setEnabledProtocols(new String[] {version.jsseName()});
            engine.beginHandshake();
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(ByteBuffer.allocate(0), out);
            return out.position() > 0;
        } catch (SSLException | GeneralSecurityException | IllegalArgumentException refused) {
            return false;
        }
    }
}
