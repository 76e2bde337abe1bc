package dev.tlsupgrade;

import java.util.Optional;

/**
 * A TLS protocol version, with the name JSSE and most providers use for it ("TLSv1.2").
 *
 * <p>TLS 1.0 and 1.1 are <em>legacy</em>: RFC 8996 deprecates them, and a configuration that lists
 * either must say {@link TlsClientConfig.Builder#allowLegacyProtocols()} so that nobody enables them
 * by accident.
 */
public enum TlsVersion {
    TLS_1_0("TLSv1", 0x0301),
    TLS_1_1("TLSv1.1", 0x0302),
    TLS_1_2("TLSv1.2", 0x0303),
    TLS_1_3("TLSv1.3", 0x0304);

    private final String jsseName;
    private final int wireCode;

    TlsVersion(String jsseName, int wireCode) {
        this.jsseName = jsseName;
        this.wireCode = wireCode;
    }

    /** The name JSSE uses ({@code "TLSv1"}, {@code "TLSv1.1"}, {@code "TLSv1.2"}, {@code "TLSv1.3"}). */
    public String jsseName() {
        return jsseName;
    }

    /** The two-byte version code sent on the wire (0x0301 for TLS 1.0 ... 0x0304 for TLS 1.3). */
    public int wireCode() {
        return wireCode;
    }

    /** True for TLS 1.0 and 1.1, which need {@code allowLegacyProtocols()}. */
    public boolean isLegacy() {
        return this == TLS_1_0 || this == TLS_1_1;
    }

    /** The version JSSE calls {@code name} ("TLSv1.2", case-insensitive), if it is one of these four. */
    public static Optional<TlsVersion> fromJsseName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.trim();
        for (TlsVersion v : values()) {
            if (v.jsseName.equalsIgnoreCase(wanted)) {
                return Optional.of(v);
            }
        }
        if (wanted.equals("tlsv1.0")) {
            return Optional.of(TLS_1_0);
        }
        return Optional.empty();
    }

    /** The version whose wire code is {@code code} (0x0301 ... 0x0304), if it is one of these four. */
    public static Optional<TlsVersion> fromWireCode(int code) {
        for (TlsVersion v : values()) {
            if (v.wireCode == code) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return jsseName;
    }
}
