package dev.tlsupgrade.preamble;

import dev.tlsupgrade.internal.socket.Watchdog;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;

/**
 * The plaintext part of a protocol that switches the same connection to TLS: RDP's X.224
 * negotiation, SMTP/IMAP/POP3/LDAP StartTLS, PostgreSQL's SSLRequest, or nothing (TLS right away).
 *
 * <pre>{@code
 * Socket plain = new Socket("mail.example.com", 25);
 * Preamble.smtp("client.example.com").negotiate(plain, Duration.ofSeconds(10));
 * SSLSocket tls = upgrader.upgrade(plain, "mail.example.com", 25);
 * }</pre>
 *
 * <p>Every reply is parsed as hostile input: lengths are checked, every read is bounded by the
 * timeout, and nothing past the preamble is read, so the TLS bytes stay in the socket. A server
 * that refuses or does not offer TLS fails with a {@link PreambleException} quoting what it sent.
 */
public abstract class Preamble {
    private final String name;

    Preamble(String name) {
        this.name = name;
    }

    /** No plaintext part: TLS right away (HTTPS, MQTT over TLS, LDAPS...). */
    public static Preamble none() {
        return new Preamble("none") {
            @Override
            void run(Wire wire) {
            }
        };
    }

    /**
     * RDP: X.224 Connection Request asking for TLS (PROTOCOL_SSL); the Connection Confirm must select it.
     * CredSSP (NLA) after the upgrade wants a full handshake and the server's key, so the usual recipe is:
     * <pre>{@code
     * TlsUpgrader upgrader = backend.newUpgrader(TlsClientConfig.builder()
     *         .knownHosts(Path.of("known_hosts"))   // RDP hosts present self-signed certificates
     *         .sessionResumption(false)             // CredSSP binds to a full handshake
     *         .build());
     * Preamble.rdp().negotiate(socket, Duration.ofSeconds(10));
     * SSLSocket tls = upgrader.upgrade(socket, host, 3389);
     * byte[] key = TlsHandshakeInfo.of(tls).orElseThrow().serverPublicKey().orElseThrow(); // for pubKeyAuth
     * }</pre>
     */
    public static Preamble rdp() {
        return new RdpPreamble(false);
    }

    /** RDP asking for TLS or CredSSP (PROTOCOL_SSL | PROTOCOL_HYBRID); either starts with a TLS handshake. */
    public static Preamble rdpWithHybrid() {
        return new RdpPreamble(true);
    }

    /** SMTP: greeting, EHLO {@code clientName}, STARTTLS, 220. */
    public static Preamble smtp(String clientName) {
        return new SmtpPreamble(Objects.requireNonNull(clientName, "clientName"));
    }

    /** IMAP: greeting, STARTTLS, tagged OK. */
    public static Preamble imap() {
        return new ImapPreamble();
    }

    /** POP3: greeting, STLS, +OK. */
    public static Preamble pop3() {
        return new Pop3Preamble();
    }

    /** LDAP: the StartTLS extended operation (1.3.6.1.4.1.1466.20037), result success. */
    public static Preamble ldap() {
        return new LdapPreamble();
    }

    /** PostgreSQL: SSLRequest, answer 'S'. */
    public static Preamble postgres() {
        return new PostgresPreamble();
    }

    /**
     * The preamble whose {@link #name()} is {@code name} ({@code none}, {@code rdp}, {@code smtp},
     * {@code imap}, {@code pop3}, {@code ldap}, {@code postgres}), for command lines and settings files;
     * SMTP greets as {@code smtpClientName}. Empty for any other name.
     */
    public static java.util.Optional<Preamble> named(String name, String smtpClientName) {
        return java.util.Optional.ofNullable(switch (name) {
            case "none" -> none();
            case "rdp" -> rdp();
            case "smtp" -> smtp(smtpClientName);
            case "imap" -> imap();
            case "pop3" -> pop3();
            case "ldap" -> ldap();
            case "postgres" -> postgres();
            default -> null;
        });
    }

    /** The protocol's name, e.g. {@code "smtp"}. */
    public final String name() {
        return name;
    }

    /**
     * Runs the plaintext part on {@code socket}, bounded as a whole by {@code timeout}; the socket's
     * SO_TIMEOUT is restored afterwards. On success the socket is ready for
     * {@link dev.tlsupgrade.TlsUpgrader#upgrade}.
     *
     * @throws PreambleException when the server refuses or does not offer TLS
     * @throws IOException when the connection fails or times out
     */
    public final void negotiate(Socket socket, Duration timeout) throws IOException {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(timeout, "timeout");
        if (!socket.isConnected() || socket.isClosed()) {
            throw new IllegalArgumentException("the socket is not connected");
        }
        int saved = socket.getSoTimeout();
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        Watchdog.Deadline deadline = Watchdog.start(timeout.toMillis(), socket);
        try {
            run(new Wire(socket, name));
        } catch (IOException e) {
            if (deadline.fired()) {
                throw new PreambleException(name + ": the plaintext part did not finish within " + timeout.toMillis() + " ms");
            }
            throw e;
        } finally {
            if (deadline.cancel()) {
                socket.setSoTimeout(saved);
            }
        }
    }

    abstract void run(Wire wire) throws IOException;

    @Override
    public String toString() {
        return "Preamble[" + name + "]";
    }
}
