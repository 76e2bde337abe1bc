package dev.tlsupgrade.preamble;

import java.io.IOException;

/**
 * PostgreSQL's SSLRequest: an 8-byte message, then exactly one byte of answer ('S' yes, 'N' no).
 * Reading exactly one byte matters: anything after it must be TLS (CVE-2021-23214).
 */
final class PostgresPreamble extends Preamble {
    private static final byte[] SSL_REQUEST = {0x00, 0x00, 0x00, 0x08, 0x04, (byte) 0xd2, 0x16, 0x2f};

    PostgresPreamble() {
        super("postgres");
    }

    @Override
    void run(Wire wire) throws IOException {
        wire.send(SSL_REQUEST);
        int answer = wire.read();
        if (answer == 'S') {
            return;
        }
        if (answer == 'N') {
            throw new PreambleException("postgres: the server answered 'N': it does not accept SSL (ssl = off, or "
                    + "pg_hba.conf allows this client no hostssl line)");
        }
        if (answer == 'E') {
            throw new PreambleException("postgres: the server answered the SSLRequest with an error message: it is too "
                    + "old to know SSL, or refused the connection");
        }
        throw new PreambleException("postgres: the server answered the SSLRequest with byte 0x" + Integer.toHexString(answer)
                + "; this port may not be PostgreSQL");
    }
}
