package dev.tlsupgrade.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One round trip with a peer that answers each line (JsseTestServer echoes it, openssl s_server -rev reverses it). */
public final class Echo {
    private Echo() {
    }

    /** Sends {@code line} and a newline over {@code socket}; returns what came back, trimmed. */
    public static String roundTrip(Socket socket, String line) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[line.length() + 1];
        int got = 0;
        while (got < buf.length) {
            int n = in.read(buf, got, buf.length - got);
            if (n < 0) {
                break;
            }
            got += n;
        }
        return new String(buf, 0, got, StandardCharsets.US_ASCII).trim();
    }
}
