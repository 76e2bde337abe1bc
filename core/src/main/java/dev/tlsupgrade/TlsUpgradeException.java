package dev.tlsupgrade;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * A failed upgrade, explained: which backend, which host and address, how far the handshake got,
 * what kind of failure it was, and what to try next.
 *
 * <p>The message reads as sentences a user can act on, for example: <i>"jsse could not upgrade the
 * connection to old.example.com (192.0.2.7:3389) while reading ServerHello: the server only speaks
 * TLSv1 (it answered with a protocol_version alert). Try: a backend that supports TLSv1 (bctls,
 * openssl) with allowLegacyProtocols()."</i> The provider's own exception is the cause.
 */
public final class TlsUpgradeException extends SSLException {
    private static final long serialVersionUID = 1L;

    private final String backend;
    private final String host;
    private final transient InetSocketAddress remoteAddress;
    private final HandshakeStage stage;
    private final FailureKind kind;
    private final String hint;
    private final String reason;
    private final transient List<X509Certificate> presentedCertificates;
    /** What crossed the wire, for {@link FallbackConnector}'s decision; null when the failure came from elsewhere. */
    private transient dev.tlsupgrade.internal.wire.WireFacts evidence;

    TlsUpgradeException(String backend, String host, InetSocketAddress remoteAddress, HandshakeStage stage,
            FailureKind kind, String what, String hint, Throwable cause) {
        this(backend, host, remoteAddress, stage, kind, what, hint, cause, List.of());
    }

    TlsUpgradeException(String backend, String host, InetSocketAddress remoteAddress, HandshakeStage stage,
            FailureKind kind, String what, String hint, Throwable cause, List<X509Certificate> presented) {
        super(message(backend, host, remoteAddress, stage, what, hint), cause);
        this.backend = Objects.requireNonNull(backend);
        this.host = Objects.requireNonNull(host);
        this.remoteAddress = remoteAddress;
        this.stage = Objects.requireNonNull(stage);
        this.kind = Objects.requireNonNull(kind);
        this.hint = Objects.requireNonNull(hint);
        this.reason = Objects.requireNonNull(what);
        this.presentedCertificates = List.copyOf(presented);
    }

    /** Set when the refusal is this backend's limit, not the server's or core's verdict: another backend may do. */
    private transient boolean backendLimit;

    TlsUpgradeException withEvidence(dev.tlsupgrade.internal.wire.WireFacts wire) {
        this.evidence = wire;
        return this;
    }

    TlsUpgradeException dueToBackend() {
        this.backendLimit = true;
        return this;
    }

    boolean backendLimit() {
        return backendLimit;
    }

    dev.tlsupgrade.internal.wire.WireFacts evidence() {
        return evidence;
    }

    private static String message(String backend, String host, InetSocketAddress address, HandshakeStage stage,
            String what, String hint) {
        return backend + " could not upgrade the connection to " + host + " (" + describe(address) + ") while "
                + stage.description() + ": " + what + " Try: " + hint;
    }

    static String describe(InetSocketAddress address) {
        if (address == null) {
            return "address unknown";
        }
        String ip = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + address.getPort();
    }

    /**
     * The explained failure in {@code error} or its causes, for clients that wrap what an engine or
     * socket threw ({@code java.net.http}'s {@code IOException}, Netty's {@code DecoderException}).
     */
    public static Optional<TlsUpgradeException> find(Throwable error) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof TlsUpgradeException e) {
                return Optional.of(e);
            }
            for (Throwable s : t.getSuppressed()) {
                if (s instanceof TlsUpgradeException e) {
                    return Optional.of(e);
                }
            }
        }
        return Optional.empty();
    }

    /** The backend's name, e.g. {@code "jsse"}. */
    public String backend() {
        return backend;
    }

    /** The host name (or IP literal) the caller passed. */
    public String host() {
        return host;
    }

    /** The IP address and port actually connected (IPv4 or IPv6). */
    public Optional<InetSocketAddress> remoteAddress() {
        return Optional.ofNullable(remoteAddress);
    }

    /** How far the handshake got. */
    public HandshakeStage stage() {
        return stage;
    }

    /** What kind of failure this was. */
    public FailureKind kind() {
        return kind;
    }

    /** What went wrong, in a sentence, without the backend, host and hint around it. */
    public String reason() {
        return reason;
    }

    /**
     * The chain the server presented, leaf first, when the failure was core's certificate check;
     * empty otherwise. With it a user can see (and pin) what a self-signed server offers.
     */
    public List<X509Certificate> presentedCertificates() {
        return presentedCertificates == null ? List.of() : presentedCertificates;
    }

    /** What to try next, in a sentence. */
    public String hint() {
        return hint;
    }
}
