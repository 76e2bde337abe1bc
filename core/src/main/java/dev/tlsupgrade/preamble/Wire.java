package dev.tlsupgrade.preamble;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Bounded reads for preambles: a byte at a time for text lines and exact lengths for binary
 * messages, so nothing that belongs to TLS is ever consumed, and every read has a cap.
 */
final class Wire {
    static final int MAX_LINE = 4096;

    private final InputStream in;
    private final OutputStream out;
    private final String protocol;

    Wire(Socket socket, String protocol) throws IOException {
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.protocol = protocol;
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void sendLine(String line) throws IOException {
        send((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** One line without its CRLF; at most {@value #MAX_LINE} bytes. */
    String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = read();
            if (c == '\n') {
                int end = sb.length();
                if (end > 0 && sb.charAt(end - 1) == '\r') {
                    sb.setLength(end - 1);
                }
                return sb.toString();
            }
            if (sb.length() >= MAX_LINE) {
                throw new PreambleException(protocol + ": the server sent a line longer than " + MAX_LINE + " bytes: \""
                        + quote(sb.substring(0, 80)) + "...\"");
            }
            sb.append((char) c);
        }
    }

    /** Exactly {@code n} bytes. */
    byte[] exactly(int n) throws IOException {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) read();
        }
        return b;
    }

    int read() throws IOException {
        int c;
        try {
            c = in.read();
        } catch (SocketTimeoutException e) {
            throw new PreambleException(protocol + ": the server did not answer in time");
        }
        if (c < 0) {
            throw new EOFException(protocol + ": the server closed the connection during the plaintext part");
        }
        return c;
    }

    /** Printable text for messages: control characters as escapes, at most 200 characters. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (sb.length() > 200) {
                return sb.append("...").toString();
            }
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : c == '\r' ? "\\r" : c == '\n' ? "\\n"
                    : String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }
}
