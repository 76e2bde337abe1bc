package dev.tlsupgrade;

import dev.tlsupgrade.internal.Text;
import dev.tlsupgrade.internal.policy.DhGroupPolicy;
import dev.tlsupgrade.internal.trust.CertificateProblem;
import dev.tlsupgrade.internal.wire.TlsAlerts;
import dev.tlsupgrade.internal.wire.WireFacts;
import java.io.EOFException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that turns any provider's handshake failure into a {@link TlsUpgradeException}.
 *
 * <p>It trusts the wire first (what the peer really sent: plaintext, an alert, nothing, a FIN, a
 * reset), then core's own certificate checks, and only then the provider's words, which differ for
 * the same event (Bouncy Castle reports a FIN as {@code handshake_failure}, for one).
 */
final class FailureExplainer {
    private final String backend;
    private final String host;
    private final InetSocketAddress address;
    private final TlsClientConfig config;

    FailureExplainer(String backend, String host, InetSocketAddress address, TlsClientConfig config) {
        this.backend = backend;
        this.host = host;
        this.address = address;
        this.config = config;
    }

    TlsUpgradeException explain(Throwable error, WireFacts wire, boolean deadlinePassed) {
        return decide(error, wire, deadlinePassed).withEvidence(wire);
    }

    private TlsUpgradeException decide(Throwable error, WireFacts wire, boolean deadlinePassed) {
        HandshakeStage stage = !wire.clientHelloSent() ? HandshakeStage.SENDING_CLIENT_HELLO
                : !wire.serverHelloSeen() ? HandshakeStage.READING_SERVER_HELLO : HandshakeStage.FINISHING;

        CertificateProblem certificate = find(error, CertificateProblem.class);
        if (certificate != null) {
            return new TlsUpgradeException(backend, host, address, HandshakeStage.VERIFYING_CERTIFICATE,
                    certificate.kind(), certificate.getMessage(), certificate.hint(), error, certificate.presented());
        }
        if (allMessages(error).contains("missing tls feature")) {
            // Bouncy Castle enforces the certificate's TLS feature extension (RFC 7633) itself, in every mode.
            return fail(HandshakeStage.VERIFYING_CERTIFICATE, FailureKind.CERTIFICATE_REVOKED, "the revocation status of "
                    + "the server's certificate is not established: it demands a stapled OCSP response (must-staple) and "
                    + "the server stapled none (" + backend + "'s provider, Bouncy Castle, enforces this whatever "
                    + "revocation(...) says).", "configure the server to staple OCSP responses (nginx: ssl_stapling on), "
                    + "or have the certificate reissued without must-staple.", error);
        }
        if (wire.handshakeDefect() != null) {
            // No intact server answers our hello this way: whatever the provider made of it (a version it did not
            // offer, an alert of its own, a stall), the evidence is a changed byte, and it earns no version advice.
            return altered(stage, "the server's hello cannot be an answer to our ClientHello: " + wire.handshakeDefect(),
                    error);
        }
        if (deadlinePassed || find(error, SocketTimeoutException.class) != null) {
            Duration t = config.handshakeTimeout();
            String seen = !wire.clientHelloSent() ? "the ClientHello could not be sent"
                    : !wire.anyReceived() ? "the server accepted the connection and our ClientHello but sent nothing back"
                    : "the server sent " + wire.bytesReceived() + " bytes and then nothing more";
            if (wire.clientHelloSent() && !wire.anyReceived() && swallowedSize(wire.clientHelloSize())) {
                return fail(stage, FailureKind.TIMEOUT, "the handshake did not finish within " + millis(t) + " (" + seen
                        + "). Our ClientHello was " + wire.clientHelloSize() + " bytes: some F5 load balancers and "
                        + "old front ends swallow ClientHellos of 256 to 511 bytes.", "if this port speaks TLS right away, "
                        + "use a backend whose ClientHello avoids that size (RFC 7685 padding): "
                        + Advice.backendsWith(Set.of(TlsFeature.CLIENT_HELLO_PADDING), "") + " Otherwise check that "
                        + "port " + port() + " speaks TLS right away; if the protocol starts in plaintext (STARTTLS, "
                        + "PostgreSQL SSLRequest, RDP X.224), complete that first.", error);
            }
            return fail(stage, FailureKind.TIMEOUT, "the handshake did not finish within " + millis(t) + " (" + seen + ").",
                    "check that port " + port() + " speaks TLS right away; if the protocol starts in plaintext (STARTTLS, "
                            + "PostgreSQL SSLRequest, RDP X.224), complete that first; for a slow server raise "
                            + "handshakeTimeout(...).", error);
        }
        // After the timeout (checked first: what arrives once the deadline closed the socket is no evidence).
        if (wire.flightDefect() != null) {
            // Whether the provider choked on it, waited for bytes that could not come, or misread it as a
            // version it did not offer: no intact server sends this, so it was changed on its way.
            return altered(stage, "the server's records cannot be what an intact server sent: " + wire.flightDefect(),
                    error);
        }
        if (wire.sha1HandshakeSignature() && config.protocols().stream().noneMatch(TlsVersion::isLegacy)) {
            return fail(stage, FailureKind.POLICY_REFUSED, String.format("the server signed its key exchange with SHA-1 "
                    + "(signature scheme 0x%04x), which is accepted only when a legacy version (TLS 1.0/1.1) is offered.",
                    wire.serverSignatureScheme()), "configure the server to sign with SHA-256 or better (any TLS 1.2 "
                    + "server can); for an old server that cannot, offer protocols(TLS_1_0, TLS_1_1, TLS_1_2) with "
                    + "allowLegacyProtocols() (weak).", error);
        }
        if (wire.serverHelloSeen() && wire.serverVersion() == SSL_3_0) {
            return fail(HandshakeStage.READING_SERVER_HELLO, FailureKind.PROTOCOL_VERSION, "the server answered with "
                    + "SSL 3.0, the version before TLS 1.0: it seems to speak nothing newer. SSL 3.0 is broken (POODLE) "
                    + "and forbidden (RFC 7568); no backend speaks it and no setting reaches it.",
                    "the server must be upgraded or replaced (even TLS 1.0 would do); no client-side setting helps.", error);
        }
        if (wire.serverHelloSeen() && TlsVersion.fromWireCode(wire.serverVersion()).filter(v -> !config.protocols()
                .contains(v)).isPresent()) {
            // The server chose a version we did not offer: whatever words the provider used for it (JSSE says
            // "protocol version" and sends the alert protocol_version), the wire shows the cause.
            return protocolVersion(stage, wire, error);
        }
        if (wire.insecureRenegotiationServer() && !config.serversWithoutSecureRenegotiationAllowed()
                && allMessages(error).contains("secure renegotiation")) {
            // The provider refused the server for it (Bouncy Castle does; core refuses it for the others after the handshake).
            return insecureRenegotiation(stage, error);
        }
        int dhBits = wire.dhGroupBits();
        if (dhBits > 0 && dhBits < DhGroupPolicy.minimumBits(config)) {
            return fail(stage, FailureKind.POLICY_REFUSED, "the server's Diffie-Hellman group has " + dhBits + " bits; "
                    + "groups under " + DhGroupPolicy.minimumBits(config) + " bits are refused (Logjam).",
                    dhBits >= DhGroupPolicy.LEGACY_MINIMUM_BITS && !config.legacyDhGroupsAllowed()
                            ? "configure the server with a 2048-bit group or ECDHE suites; for an old server that cannot, "
                                    + "allowLegacyDhGroups() admits " + DhGroupPolicy.LEGACY_MINIMUM_BITS
                                    + "-bit groups (weak: only for that server)."
                            : "configure the server with a 2048-bit group or ECDHE suites; no setting admits a group "
                                    + "this small.", error);
        }
        if (wire.notTls()) {
            return fail(stage, FailureKind.NOT_TLS, "the server answered with something that is not TLS: \""
                    + wire.firstBytesReceived() + "\".",
                    "this port speaks a plaintext protocol first: run its preamble (e.g. STARTTLS) before upgrading, "
                            + "or connect to the service's TLS port.", error);
        }
        Optional<String> received = wire.alertReceived().isPresent()
                ? Optional.of(TlsAlerts.name(wire.alertReceived().getAsInt())) : receivedAlertIn(error);
        if (received.isPresent()) {
            if (ALTERED_ALERTS.contains(received.get()) && wire.serverHelloSeen()) {
                return altered(stage, "after the hello the server refused our data with the alert " + received.get()
                        + " (it could not " + (received.get().equals("decrypt_error") ? "verify it" : "read it") + ")",
                        error);
            }
            return alertReceived(received.get(), stage, wire, error);
        }
        if (wire.certificateRequestSeen() && !config.hasClientIdentity() && find(error, java.net.SocketException.class) != null) {
            // The server asked for a certificate, got none, and hung up while our last flight was still being
            // written: the alert it sent never got read (seen with Bouncy Castle against a JSSE server).
            return fail(stage, FailureKind.CLIENT_CERTIFICATE_REQUIRED, "the server asked for a client certificate, "
                    + "none was configured, and it closed the connection while we sent our answer.",
                    "configure one with clientCertificate(certChainPem, keyPem).", error);
        }
        if (isReset(error, wire)) {
            return fail(stage, FailureKind.PEER_RESET, "the server reset the connection (TCP RST) "
                    + (wire.anyReceived() ? "during the handshake" : "after our ClientHello, without an answer") + "."
                    + helloSize(wire), closedHint(wire), error);
        }
        if (wire.endOfStream() || peerEndedStream(error)) {
            return fail(stage, FailureKind.PEER_CLOSED, "the server closed the connection "
                    + (wire.anyReceived() ? "during the handshake" : "right after our ClientHello") + " without a TLS alert."
                    + helloSize(wire), closedHint(wire), error);
        }
        String text = allMessages(error);
        Optional<String> refused = wire.alertSent().isPresent()
                ? Optional.of(TlsAlerts.name(wire.alertSent().getAsInt())) : TlsAlerts.findIn(text);
        if (text.contains("no appropriate protocol") || text.contains("no enabled protocols")
                || text.contains("unsupported_protocol") || text.contains("wrong_version_number")
                || text.contains("protocol_version") || text.contains("no usable protocols")) {
            return protocolVersion(stage, wire, error);
        }
        if (text.contains("key_usage_bit_incorrect")) {
            // BoringSSL checks the leaf's key usage itself, before core's trust decision is asked.
            boolean identifiedByKey = !config.pinnedCertificates().isEmpty() || config.knownHosts().isPresent();
            TlsUpgradeException refusal = fail(HandshakeStage.VERIFYING_CERTIFICATE, FailureKind.CERTIFICATE_UNTRUSTED, "certificate 0 (the "
                    + "server's) is refused by " + backend + "'s provider (BoringSSL): its key usage does not allow "
                    + "digitalSignature, which this handshake's key exchange needs"
                    + (identifiedByKey ? "; core waives that rule for a server identified by its key (the Windows RDP "
                            + "certificate is made this way), but BoringSSL cannot be told so per connection." : "."),
                    (identifiedByKey ? "" : "have it reissued with keyUsage digitalSignature; for a self-signed host "
                            + "(RDP) identify it by its key with knownHosts(file) or pinnedCertificates(...), and ")
                            + "offer static-RSA suites, which need only keyEncipherment: cipherSuites("
                            + "\"TLS_RSA_WITH_AES_128_GCM_SHA256\", \"TLS_RSA_WITH_AES_128_CBC_SHA\") (no forward secrecy); "
                            + "or use a backend that follows core's decision: " + Advice.backendsWithout(
                                    "openssl", "conscrypt"), error);
            return identifiedByKey ? refusal.dueToBackend() : refusal;
        }
        if (text.contains("no cipher suites in common") || text.contains("no_shared_cipher")
                || text.contains("no negotiable cipher") || text.contains("no_cipher_match")) {
            return fail(stage, FailureKind.NO_SHARED_CIPHER, "the server and this client have no cipher suite in common.",
                    cipherHint(), error);
        }
        Optional<String> check = TlsAlerts.allIn(text).stream().filter(ALTERED_ALERTS::contains).findFirst();
        if (wire.anyReceived() && (refused.filter(ALTERED_ALERTS::contains).isPresent() || check.isPresent()
                || refused.filter("bad_certificate"::equals).isPresent() || isMalformedInput(error))) {
            return altered(stage, "this client refused the server's data: "
                    + check.or(() -> refused).map(a -> a + ", ").orElse("")
                    + summary(error), error);
        }
        if (refused.isPresent()) {
            return fail(stage, FailureKind.ALERT, "this client sent the fatal alert " + refused.get() + " (" + summary(error)
                    + ").", "the alert names what this side rejected; compare the server's settings with this config.", error);
        }
        return fail(stage, FailureKind.OTHER, "the provider reported " + summary(error) + ".",
                "look at the cause below; run with DEBUG logging for dev.tlsupgrade to see what was offered.", error);
    }

    private TlsUpgradeException alertReceived(String alert, HandshakeStage stage, WireFacts wire, Throwable error) {
        switch (alert) {
            case "protocol_version":
                return protocolVersion(stage, wire, error);
            case "handshake_failure":
            case "insufficient_security":
                if (!wire.serverHelloSeen()) {
                    return fail(stage, FailureKind.NO_SHARED_CIPHER, "the server rejected our ClientHello with the alert "
                            + alert + " before choosing a version or a suite: it found no cipher suite (or key exchange "
                            + "group) it shares with us, or it does not tolerate something in our hello (a version or an "
                            + "extension newer than it knows).", cipherHint() + " If no suite helps: "
                            // the old-server step only when the wire shows the server's alert record itself
                            + (wire.alertReceived().isPresent() ? oldServerHint() : unclearVersionHint()), error);
                }
                if (wire.certificateRequestSeen() && !config.hasClientIdentity()) {
                    return clientCertificateRequired(stage, alert, error);
                }
                break;
            case "certificate_required":
                return clientCertificateRequired(stage, alert, error);
            case "inappropriate_fallback":
                return fail(stage, FailureKind.ALERT, "the server refused our fallback signal with the alert "
                        + "inappropriate_fallback: it supports a newer version than this attempt offered ("
                        + config.protocols() + ").", "offer the newer versions; if an attempt with them fails, the "
                        + "cause is not the server's version support but something else, possibly interference between "
                        + "here and the server (a middlebox that drops newer ClientHellos).", error);
            case "unrecognized_name":
                return fail(stage, FailureKind.ALERT, "the server sent the alert unrecognized_name: it does not serve the "
                        + "name in our SNI (" + sniDescription() + ").",
                        "connect with the name the server expects, or set it with serverName(...).", error);
            case "bad_certificate":
            case "unsupported_certificate":
            case "certificate_unknown":
            case "unknown_ca":
            case "access_denied":
            case "certificate_expired":
            case "certificate_revoked":
                if (config.hasClientIdentity()) {
                    String which = config.clientCertificateChain().isEmpty() ? "the client certificate our key manager chose"
                            : "our client certificate '" + config.clientCertificateChain().get(0).getSubjectX500Principal()
                                    .getName() + "'";
                    return fail(stage, FailureKind.CLIENT_CERTIFICATE_REQUIRED, "the server refused " + which
                            + " with the alert " + alert + ".", "check that the server trusts the CA that issued the "
                            + "client certificate and that it has not expired.", error);
                }
                if (wire.certificateRequestSeen()) {
                    // Some servers (JSSE among them) answer a missing client certificate with bad_certificate.
                    return clientCertificateRequired(stage, alert, error);
                }
                break;
            default:
                break;
        }
        return fail(stage, FailureKind.ALERT, "the server sent the fatal alert " + alert + ".",
                "the alert names what the server rejected; check its log for the reason.", error);
    }

    private TlsUpgradeException clientCertificateRequired(HandshakeStage stage, String alert, Throwable error) {
        return fail(stage, FailureKind.CLIENT_CERTIFICATE_REQUIRED, "the server requires a client certificate and none "
                + "was configured (it sent the alert " + alert + ").",
                "configure one with clientCertificate(certChainPem, keyPem).", error);
    }

    private TlsUpgradeException protocolVersion(HandshakeStage stage, WireFacts wire, Throwable error) {
        Set<TlsVersion> offered = config.protocols();
        Optional<TlsVersion> agreed = wire.serverHelloSeen() ? TlsVersion.fromWireCode(wire.serverVersion())
                .filter(offered::contains) : Optional.empty();
        if (agreed.isPresent()) {
            return altered(stage, "both sides had agreed on " + agreed.get() + " in the hello, and then a record "
                    + "carried another version (" + summary(error) + ")", error);
        }
        if (wire.serverHelloSeen() && wire.serverVersion() != SSL_3_0
                && TlsVersion.fromWireCode(wire.serverVersion()).isEmpty()) {
            return altered(stage, String.format("the server's hello names version 0x%04x, which no TLS version has",
                    wire.serverVersion()), error);
        }
        Optional<TlsVersion> chosen = wire.serverHelloSeen() ? TlsVersion.fromWireCode(wire.serverVersion())
                : TlsVersion.fromWireCode(wire.firstRecordVersion()).filter(TlsVersion::isLegacy);
        Optional<TlsVersion> wanted = chosen.filter(v -> !offered.contains(v));
        if (wanted.isPresent()) {
            TlsVersion v = wanted.get();
            String what = "the server " + (wire.serverHelloSeen() ? "chose " + v + " in its ServerHello"
                    : "answered in a " + v + " record") + ", which this client did not offer (offered " + offered
                    + "); it seems to speak only " + v + ".";
            return fail(HandshakeStage.READING_SERVER_HELLO, FailureKind.PROTOCOL_VERSION, what,
                    !v.isLegacy() ? "offer " + v + " with protocols(...)."
                            : cleanVersionEvidence(wire) ? legacyHint(List.of(v)) : unclearVersionHint(), error);
        }
        String what = "the server and this client share no TLS version (offered " + offered + ").";
        boolean offeredModern = offered.contains(TlsVersion.TLS_1_2) || offered.contains(TlsVersion.TLS_1_3);
        if (!offeredModern) {
            return fail(stage, FailureKind.PROTOCOL_VERSION, what, "the server probably requires TLS 1.2 or newer: "
                    + "offer protocols(TLS_1_2, TLS_1_3).", error);
        }
        return fail(stage, FailureKind.PROTOCOL_VERSION, what, cleanVersionEvidence(wire)
                ? legacyHint(List.of(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1)) : unclearVersionHint(), error);
    }

    /**
     * Whether the server's own words, intact, refuse our versions: a fatal protocol_version alert
     * before any ServerHello, or a whole ServerHello for an older version carried in a record of that
     * same version (a TLS 1.2 record holding a "TLS 1.1" hello is a changed byte, not an old server).
     * Only such evidence earns advice to offer TLS 1.0/1.1: one corrupted byte must not.
     */
    private static boolean cleanVersionEvidence(WireFacts wire) {
        if (wire.serverHelloSeen()) {
            return wire.serverHelloWhole() && wire.firstRecordVersion() == wire.serverVersion();
        }
        return wire.alertReceived().orElse(-1) == PROTOCOL_VERSION_ALERT && wire.alertReceivedFatal();
    }

    private static final int PROTOCOL_VERSION_ALERT = 70;

    private static String unclearVersionHint() {
        return "the server's answer does not show cleanly which versions it speaks (a byte may have changed on the "
                + "way): retry; `tlsupgrade probe HOST:PORT` tries each version with the fallback signal, which a "
                + "server able to do better refuses.";
    }

    private String legacyHint(List<TlsVersion> versions) {
        String protocols = versions.stream().map(Enum::name).reduce((a, b) -> a + ", " + b).orElse("");
        return "if this server cannot be upgraded, offer protocols(" + protocols + ") with allowLegacyProtocols() "
                + "(weak: only for this server). " + Advice.backendsFor(versions, "");
    }

    /**
     * What to try when the server hung up: an old server's versions only when it said nothing at all
     * (the server that answered speaks this version, so legacy advice there could be steered by
     * anyone able to cut a connection).
     */
    private String closedHint(WireFacts wire) {
        if (wire.anyReceived()) {
            return "the server had answered (" + wire.bytesReceived() + " bytes), so it speaks what we offered: its log "
                    + "says why it hung up, or something on the path (a middlebox, a faulty link) cut the connection; "
                    + "retry, and if it persists capture the traffic at both ends.";
        }
        return oldServerHint() + bigHelloHint(wire);
    }

    private String oldServerHint() {
        // A backend whose hello carries supported_versions without TLS 1.3 (JSSE) loses servers older than it.
        String classic = config.protocols().contains(TlsVersion.TLS_1_3) || Advice.has(backend, TlsFeature.CLASSIC_HELLO)
                ? "" : backend + "'s ClientHello carries the supported_versions extension even without TLS 1.3, which "
                        + "servers older than TLS 1.3 may hang up on: " + Advice.backendsWith(Set.of(TlsFeature.CLASSIC_HELLO),
                                backend) + " ";
        if (config.protocols().stream().anyMatch(TlsVersion::isLegacy)) {
            return "TLS 1.0/1.1 were already offered; " + classic + (classic.isEmpty() ? "check" : "Also check")
                    + " that this port speaks TLS, that the server accepts our cipher suites, and its log for the reason.";
        }
        String tls12First = config.protocols().contains(TlsVersion.TLS_1_3) && config.protocols().contains(TlsVersion.TLS_1_2)
                ? "some TLS 1.2 servers hang up on a ClientHello that offers TLS 1.3: try protocols(TLS_1_2) first. "
                        + "If that fails too: " : "";
        return tls12First + classic + "old servers (Windows Server 2012, devices, old brokers) do this when they speak "
                + "only TLS 1.0/1.1; " + legacyHint(List.of(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1))
                + " Otherwise check the server's log.";
    }

    /** A TLS 1.0-1.2 server whose ServerHello did not confirm RFC 5746 secure renegotiation. */
    TlsUpgradeException insecureRenegotiation(HandshakeStage stage, Throwable error) {
        return fail(stage, FailureKind.POLICY_REFUSED, "the server does not support secure renegotiation (RFC 5746: "
                + "its ServerHello has no renegotiation_info), so an attacker could splice data of its own before "
                + "this connection on the server's side.", "update the server; for an old server that cannot be "
                + "updated, allowServersWithoutSecureRenegotiation() admits it (weak: only for that server).", error);
    }

    private static final int SSL_3_0 = 0x0300;

    /** Whether a ClientHello record of {@code size} bytes (header included) falls in the F5 bug's range. */
    private static boolean swallowedSize(int size) {
        int body = size - 5;
        return body >= 256 && body < 512;
    }

    /** A ClientHello larger than this no longer fits one Ethernet packet. */
    private static final int ONE_PACKET = 1400;

    private static String helloSize(WireFacts wire) {
        return wire.clientHelloSize() > ONE_PACKET ? " Our ClientHello was " + wire.clientHelloSize()
                + " bytes, more than one packet." : "";
    }

    private String bigHelloHint(WireFacts wire) {
        if (wire.clientHelloSize() <= ONE_PACKET) {
            return "";
        }
        return " Old servers and middleboxes also drop ClientHellos larger than one packet, which the post-quantum "
                + "key share (X25519MLKEM768) makes ours: offer classic groups only with namedGroups(\"x25519\", "
                + "\"secp256r1\"). " + Advice.backendsWith(java.util.Set.of(TlsFeature.NAMED_GROUPS), "");
    }

    private String cipherHint() {
        if (!config.cipherSuites().isEmpty()) {
            return "the pinned suites " + config.cipherSuites() + " are not among the server's: add suites it accepts.";
        }
        return "an old server may accept only suites this config leaves out by default: static RSA (pin "
                + "cipherSuites(\"TLS_RSA_WITH_AES_128_CBC_SHA\"); no forward secrecy), DHE (pin "
                + "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256; " + having("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256") + "), 3DES (pin "
                + "TLS_RSA_WITH_3DES_EDE_CBC_SHA; " + having("TLS_RSA_WITH_3DES_EDE_CBC_SHA") + "); or only suites no "
                + "backend has, RC4, export or NULL ciphers, which the server must stop using.";
    }

    private static String having(String suite) {
        List<String> names = Advice.backendNamesWithSuites(List.of(suite));
        return names.isEmpty() ? "no backend here has it" : "backends that have it: " + String.join(", ", names);
    }

    private String sniDescription() {
        return config.serverName().map(n -> "'" + n + "'").orElse("'" + host + "'");
    }

    private int port() {
        return address == null ? -1 : address.getPort();
    }

    private TlsUpgradeException altered(HandshakeStage stage, String evidence, Throwable error) {
        return fail(stage, FailureKind.ALTERED_IN_TRANSIT, "the handshake's data was altered on its way: " + evidence
                + ".", "this is not a configuration problem: a middlebox (a TLS-inspecting proxy, a broken load balancer "
                + "or IDS), a faulty link or an attacker changed bytes between this client and the server. Retry; if it "
                + "persists, try from another network and capture the traffic at both ends to find where it changes.",
                error);
    }

    /** Alerts that say a record or message was not what its sender sent: bad MAC, failed decryption, malformed. */
    private static final Set<String> ALTERED_ALERTS = Set.of("bad_record_mac", "decryption_failed", "record_overflow",
            "decrypt_error", "decode_error", "illegal_parameter", "unexpected_message");

    /**
     * True when the provider refused malformed input: a record that failed its integrity check, or a
     * message or certificate it could not parse. Such an exception is this client's verdict on the data.
     */
    private static boolean isMalformedInput(Throwable error) {
        return find(error, javax.crypto.AEADBadTagException.class) != null
                || find(error, javax.crypto.BadPaddingException.class) != null
                || find(error, javax.net.ssl.SSLProtocolException.class) != null
                || unreadableCertificate(error) || raisedByDecoder(error);
    }

    /**
     * Classes whose exceptions mean "these bytes do not decode": Bouncy Castle's and the JDK's DER/ASN.1
     * decoders, and Bouncy Castle's TLS message readers (TlsUtils.readFully's EOFException is a message
     * shorter than its length field says; a peer that really closed shows as the wire's end of stream).
     */
    private static final List<String> DECODERS = List.of("org.bouncycastle.asn1.", "sun.security.util.Der",
            "sun.security.x509.", "org.bouncycastle.tls.TlsUtils");

    /** True when an exception in the chain was thrown by an ASN.1 decoder: the peer's bytes did not decode. */
    private static boolean raisedByDecoder(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (fromDecoder(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean fromDecoder(Throwable t) {
        StackTraceElement[] frames = t.getStackTrace();
        return frames.length > 0 && DECODERS.stream().anyMatch(frames[0].getClassName()::startsWith);
    }

    /**
     * True when a certificate could not even be read: core's verdicts on a certificate are
     * {@link CertificateProblem}s, so another certificate exception on a connection comes from decoding
     * what the server sent (providers word it many ways: "Signature algorithm mismatch", "Unable to
     * initialize"), or from an empty certificate list.
     */
    private static boolean unreadableCertificate(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException && !(t instanceof CertificateProblem)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the chain holds an end of stream that came from the connection: an {@link EOFException},
     * or a write that found the peer gone (broken pipe). An end of stream beneath a security exception,
     * or thrown by a DER decoder, was met while parsing data (a certificate that ends too soon): that
     * is this client's verdict on the data, not the server closing.
     */
    private static boolean peerEndedStream(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.security.GeneralSecurityException) {
                return false;
            }
            if (t instanceof EOFException && !fromDecoder(t) || t instanceof SocketException
                    && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("broken pipe")) {
                return true;
            }
        }
        return false;
    }

    private TlsUpgradeException fail(HandshakeStage stage, FailureKind kind, String what, String hint, Throwable error) {
        return new TlsUpgradeException(backend, host, address, stage, kind, what, hint, error);
    }

    private static boolean isReset(Throwable error, WireFacts wire) {
        String readError = wire.readError() == null ? "" : wire.readError().toLowerCase(Locale.ROOT);
        if (readError.contains("reset")) {
            return true;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SocketException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("reset")) {
                return true;
            }
        }
        return false;
    }

    private static final Set<String> RECEIVED_MARKERS = Set.of("received fatal alert", "tlsfatalalertreceived",
            "alert received", "tlsv1_alert_", "sslv3_alert_", "tlsv13_alert_");

    private static Optional<String> receivedAlertIn(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String text = (t.getClass().getName() + ": " + t.getMessage()).toLowerCase(Locale.ROOT);
            if (RECEIVED_MARKERS.stream().anyMatch(text::contains)) {
                Optional<String> name = TlsAlerts.findIn(text);
                if (name.isPresent()) {
                    return name;
                }
            }
        }
        return Optional.empty();
    }

    private static String allMessages(Throwable error) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            sb.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static String summary(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // A provider's message may quote the peer's bytes (an alert's text, a name): escaped like any peer text.
        String outer = error.getClass().getSimpleName() + ": " + Text.escape(String.valueOf(error.getMessage()));
        return root == error ? outer : outer + " (caused by " + root.getClass().getSimpleName() + ": "
                + Text.escape(String.valueOf(root.getMessage())) + ")";
    }

    private static String millis(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            for (Throwable s : t.getSuppressed()) {
                if (type.isInstance(s)) {
                    return type.cast(s);
                }
            }
        }
        return null;
    }
}
