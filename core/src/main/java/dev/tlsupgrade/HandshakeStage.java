package dev.tlsupgrade;

/**
 * How far a handshake got when it failed, judged from the bytes that crossed the connection.
 */
public enum HandshakeStage {
    /** Nothing was sent yet, or sending the ClientHello failed. */
    SENDING_CLIENT_HELLO("sending ClientHello"),
    /** The ClientHello was sent; the server's hello did not arrive. */
    READING_SERVER_HELLO("reading ServerHello"),
    /** The server's certificate chain was being checked. */
    VERIFYING_CERTIFICATE("verifying the server certificate"),
    /** Hellos were exchanged; the handshake failed in its last steps. */
    FINISHING("finishing the handshake");

    private final String description;

    HandshakeStage(String description) {
        this.description = description;
    }

    /** A few words for messages, e.g. "reading ServerHello". */
    public String description() {
        return description;
    }
}
