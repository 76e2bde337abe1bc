package dev.tlsupgrade.preamble;

import java.io.IOException;

/**
 * The plaintext part of a protocol did not lead to TLS: the server refused, does not offer TLS, or
 * sent something unexpected. The message quotes what the server sent.
 */
public final class PreambleException extends IOException {
    private static final long serialVersionUID = 1L;

    public PreambleException(String message) {
        super(message);
    }
}
