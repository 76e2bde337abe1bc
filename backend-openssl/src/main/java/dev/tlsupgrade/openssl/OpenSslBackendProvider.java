package dev.tlsupgrade.openssl;

import dev.tlsupgrade.Capabilities;
import dev.tlsupgrade.TlsFeature;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.VersionSupport;
import dev.tlsupgrade.spi.BackendConnector;
import dev.tlsupgrade.spi.ConnectorSettings;
import dev.tlsupgrade.spi.TlsBackendProvider;
import io.netty.handler.ssl.OpenSsl;

/**
 * Registers the "openssl" backend: BoringSSL through Netty's tcnative, each context and engine of
 * its own (nothing JVM-wide), presented as an SSLSocket by core's engine socket. tcnative keeps TLS
 * 1.0/1.1 per context, so legacy servers need no global change. tcnative is first touched in
 * {@link #load()}.
 */
public final class OpenSslBackendProvider implements TlsBackendProvider {
    private static final String NATIVE_MODULE_PREFIX = "io.netty.internal.tcnative.openssl.";

    @Override
    public String name() {
        return "openssl";
    }

    @Override
    public int preference() {
        return 20;
    }

    @Override
    public void load() throws Exception {
        if (!OpenSsl.isAvailable()) {
            Throwable cause = OpenSsl.unavailabilityCause();
            if (getClass().getModule().isNamed() && ModuleLayer.boot().modules().stream()
                    .noneMatch(m -> m.getName().startsWith(NATIVE_MODULE_PREFIX))) {
                // On the module path the platform's native jar is a module that nothing requires by name. One line,
                // without tcnative's cause: it carries a suppressed error for every library name it tried.
                String module = NATIVE_MODULE_PREFIX + platform();
                boolean present = onModulePath(module);
                throw new IllegalStateException("tcnative's native module for this platform is not in the module graph: "
                        + "start java with --add-modules " + module + (present ? "" : " and put the jar of "
                        + "netty-tcnative-boringssl-static for " + platform().replace('.', '-') + " on the module path"));
            }
            if (cause instanceof Error e) {
                throw e;
            }
            if (cause instanceof Exception e) {
                throw e;
            }
            throw new IllegalStateException("netty-tcnative is not available: " + cause, cause);
        }
    }

    /** tcnative's name for this platform in its native modules: {@code linux.x86_64}, {@code osx.aarch_64}, ... */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(java.util.Locale.ROOT);
        String o = os.startsWith("mac") || os.startsWith("darwin") ? "osx" : os.startsWith("windows") ? "windows" : "linux";
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") ? "aarch_64" : arch;
        return o + "." + a;
    }

    private static boolean onModulePath(String module) {
        String path = System.getProperty("jdk.module.path", "");
        java.nio.file.Path[] entries = java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .filter(e -> !e.isEmpty()).map(java.nio.file.Path::of).toArray(java.nio.file.Path[]::new);
        try {
            return java.lang.module.ModuleFinder.of(entries).find(module).isPresent();
        } catch (java.lang.module.FindException e) {
            return false;
        }
    }

    /** What tcnative's BoringSSL can do: one fixed value, made once. */
    private static final Capabilities CAPABILITIES = all();

    private static Capabilities all() {
        Capabilities.Builder b = Capabilities.builder();
        for (TlsVersion v : TlsVersion.values()) {
            b.version(v, VersionSupport.SUPPORTED);
        }
        return b.feature(TlsFeature.SNI, TlsFeature.SNI_SINGLE_LABEL, TlsFeature.ALPN, TlsFeature.CLIENT_CERTIFICATES,
                TlsFeature.SESSION_RESUMPTION, TlsFeature.CIPHER_SUITE_SELECTION, TlsFeature.NAMED_GROUPS,
                TlsFeature.KEY_LOG, TlsFeature.OCSP_STAPLING, TlsFeature.FALLBACK_SCSV, TlsFeature.CLIENT_HELLO_PADDING, TlsFeature.CLASSIC_HELLO).build();
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public java.util.Set<String> supportedCipherSuites() {
        return OpenSsl.availableJavaCipherSuites();
    }

    @Override
    public BackendConnector newConnector(ConnectorSettings settings) {
        return new OpenSslConnector(settings);
    }
}
