package dev.tlsupgrade;

/**
 * An optional TLS feature a backend may offer. A backend lists a feature in its {@link Capabilities}
 * only when the contract tests prove it works.
 */
public enum TlsFeature {
    /** Server Name Indication sent for DNS host names with a dot and for {@code localhost}, never for an IP literal. */
    SNI,
    /**
     * SNI also for single-label names other than {@code localhost} ({@code server01}: the NetBIOS-style
     * names RDP and SMB users type). Conscrypt refuses to send those; each such upgrade logs a warning.
     */
    SNI_SINGLE_LABEL,
    /** Application-Layer Protocol Negotiation ({@link TlsClientConfig.Builder#alpn(String...)}). */
    ALPN,
    /** A client certificate presented when the server asks for one. */
    CLIENT_CERTIFICATES,
    /** Later connections of one upgrader to the same server resume the TLS session. */
    SESSION_RESUMPTION,
    /** The cipher suites offered can be pinned ({@link TlsClientConfig.Builder#cipherSuites(String...)}). */
    CIPHER_SUITE_SELECTION,
    /**
     * The key exchange groups offered can be chosen ({@link TlsClientConfig.Builder#namedGroups(String...)}),
     * e.g. to leave out a large post-quantum key share that old servers and middleboxes drop.
     */
    NAMED_GROUPS,
    /**
     * The client asks for the server's stapled OCSP response (status_request) and reports it in
     * {@link TlsHandshakeInfo#stapledOcspResponse()}, for the application's own revocation checks.
     */
    OCSP_STAPLING,
    /** NSS key log lines (SSLKEYLOGFILE format) can be written for Wireshark. */
    KEY_LOG,
    /**
     * Keying material can be exported from a finished connection ({@link KeyingMaterial}, RFC 5705 and
     * RFC 8446's exporter), e.g. the {@code tls-exporter} channel binding of RFC 9266.
     */
    KEYING_MATERIAL_EXPORT,
    /**
     * The ClientHello can carry RFC 7507's TLS_FALLBACK_SCSV
     * ({@link TlsClientConfig.Builder#fallbackSignal()}), with which a server refuses a version
     * fallback it does not need. JSSE has no way to send it; Conscrypt accepts its suite name and
     * still does not send it (measured), so neither claims it.
     */
    FALLBACK_SCSV,
    /**
     * The ClientHello is never 256 to 511 bytes long, a size some F5 load balancers and old front ends
     * swallow without an answer (RFC 7685 padding, or a hello that is larger anyway). JSSE can neither
     * pad nor add bytes to its 400-460 byte hello, so it does not claim it.
     */
    CLIENT_HELLO_PADDING,
    /**
     * A ClientHello that does not offer TLS 1.3 carries no supported_versions extension, as servers
     * older than RFC 8446 expect: a server that hangs up on an extension it does not know is reached
     * with the versions it speaks. JSSE sends the extension whatever versions it offers (only the
     * JVM-wide {@code jdk.tls.client.disableExtensions} stops it), so jsse does not claim it.
     */
    CLASSIC_HELLO
}
