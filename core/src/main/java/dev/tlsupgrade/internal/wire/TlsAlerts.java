package dev.tlsupgrade.internal.wire;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The TLS alert descriptions (RFC 8446 section 6 and the older ones still seen) by number and name. */
public final class TlsAlerts {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0, "close_notify"), Map.entry(10, "unexpected_message"), Map.entry(20, "bad_record_mac"),
            Map.entry(21, "decryption_failed"), Map.entry(22, "record_overflow"), Map.entry(30, "decompression_failure"),
            Map.entry(40, "handshake_failure"), Map.entry(41, "no_certificate"), Map.entry(42, "bad_certificate"),
            Map.entry(43, "unsupported_certificate"), Map.entry(44, "certificate_revoked"),
            Map.entry(45, "certificate_expired"), Map.entry(46, "certificate_unknown"),
            Map.entry(47, "illegal_parameter"), Map.entry(48, "unknown_ca"), Map.entry(49, "access_denied"),
            Map.entry(50, "decode_error"), Map.entry(51, "decrypt_error"), Map.entry(60, "export_restriction"),
            Map.entry(70, "protocol_version"), Map.entry(71, "insufficient_security"), Map.entry(80, "internal_error"),
            Map.entry(86, "inappropriate_fallback"), Map.entry(90, "user_canceled"), Map.entry(100, "no_renegotiation"),
            Map.entry(109, "missing_extension"), Map.entry(110, "unsupported_extension"),
            Map.entry(111, "certificate_unobtainable"), Map.entry(112, "unrecognized_name"),
            Map.entry(113, "bad_certificate_status_response"), Map.entry(114, "bad_certificate_hash_value"),
            Map.entry(115, "unknown_psk_identity"), Map.entry(116, "certificate_required"),
            Map.entry(120, "no_application_protocol"));

    /**
     * Providers' words for an alert or for the check that raised it, by the RFC 8446 alert they
     * mean. TLS 1.3 has no decryption_failed: a provider that names it (Conscrypt) means bad_record_mac.
     */
    private static final Map<String, String> SPELLINGS = Map.ofEntries(
            Map.entry("decryption_failed_or_bad_record_mac", "bad_record_mac"), Map.entry("decryption_failed", "bad_record_mac"),
            Map.entry("bad_decrypt", "bad_record_mac"), Map.entry("tag mismatch", "bad_record_mac"),
            Map.entry("digest_check_failed", "decrypt_error"), Map.entry("finished message cannot be verified", "decrypt_error"),
            Map.entry("bad_signature", "decrypt_error"), Map.entry("encrypted_length_too_long", "record_overflow"),
            Map.entry("data_length_too_long", "record_overflow"), Map.entry("unexpected_record", "unexpected_message"),
            Map.entry("excessive_message_size", "illegal_parameter"),
            Map.entry("serverkeyexchange signature", "decrypt_error"), Map.entry("certificateverify", "decrypt_error"),
            // Malformed input, in BoringSSL's reason codes, Netty's and the JDK's words.
            Map.entry("bad_packet_length", "decode_error"), Map.entry("bad_length", "decode_error"),
            Map.entry("parse_tlsext", "decode_error"), Map.entry("bad_change_cipher_spec", "unexpected_message"),
            Map.entry("wrong_message_type", "unexpected_message"), Map.entry("wrong_curve", "illegal_parameter"),
            Map.entry("bad_ecpoint", "illegal_parameter"), Map.entry("wrong_cipher_returned", "illegal_parameter"),
            Map.entry("unknown_cipher_returned", "illegal_parameter"), Map.entry("not an ssl/tls record", "unexpected_message"),
            Map.entry("unable to parse tls packet header", "decode_error"), Map.entry("invalid lenbyte", "decode_error"),
            Map.entry("signature algorithm mismatch", "decode_error"),
            Map.entry("handshake message length exceeds the maximum", "illegal_parameter"),
            // JSSE's words for a handshake message that does not decode, BoringSSL's for an unsolicited extension.
            Map.entry("insufficient space in the buffer", "decode_error"),
            Map.entry("unexpected end of handshake data", "decode_error"),
            Map.entry("error parsing extension", "decode_error"),
            Map.entry("unexpected_extension", "unsupported_extension"),
            Map.entry("not negotiated key shares", "illegal_parameter"));

    private TlsAlerts() {
    }

    /** The alert's name, e.g. {@code handshake_failure}, or {@code alert(NN)} for an unknown number. */
    public static String name(int description) {
        return NAMES.getOrDefault(description, "alert(" + description + ")");
    }

    /** Every alert named in {@code text}, in any provider's spelling (see {@link #findIn(String)}), in no order. */
    public static java.util.Set<String> allIn(String text) {
        java.util.Set<String> found = new java.util.HashSet<>();
        if (text == null) {
            return found;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        NAMES.values().stream().filter(n -> !n.equals("close_notify") && lower.contains(n))
                .forEach(n -> found.add(SPELLINGS.getOrDefault(n, n)));
        SPELLINGS.forEach((spelling, alert) -> {
            if (lower.contains(spelling)) {
                found.add(alert);
            }
        });
        return found;
    }

    /**
     * The first alert name found in {@code text}, in any provider's spelling: JSSE's
     * {@code protocol_version}, Bouncy Castle's {@code protocol_version(70)}, or BoringSSL's
     * {@code TLSV1_ALERT_PROTOCOL_VERSION} / {@code SSLV3_ALERT_HANDSHAKE_FAILURE}, and the checks
     * behind an alert in RFC 8446 names ({@code DECRYPTION_FAILED_OR_BAD_RECORD_MAC} and
     * {@code BAD_DECRYPT} are bad_record_mac, JSSE's "Tag mismatch" too).
     */
    public static Optional<String> findIn(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String lower = text.toLowerCase(Locale.ROOT);
        String best = null;
        String bestSpelling = "";
        int bestAt = Integer.MAX_VALUE;
        for (String name : NAMES.values()) {
            if (name.equals("close_notify")) {
                continue;
            }
            int at = lower.indexOf(name);
            if (at >= 0 && (at < bestAt || at == bestAt && name.length() > bestSpelling.length())) {
                best = SPELLINGS.getOrDefault(name, name);
                bestSpelling = name;
                bestAt = at;
            }
        }
        for (Map.Entry<String, String> e : SPELLINGS.entrySet()) {
            int at = lower.indexOf(e.getKey());
            if (at >= 0 && (at < bestAt || at == bestAt && e.getKey().length() > bestSpelling.length())) {
                best = e.getValue();
                bestSpelling = e.getKey();
                bestAt = at;
            }
        }
        return Optional.ofNullable(best);
    }
}
