package dev.tlsupgrade.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The first TLS record a client sent, read off the wire by a test peer, with the few facts an old
 * server reacts to: the record's length, the hello's {@code legacy_version}, the extension types it
 * carries and the versions listed in {@code supported_versions}. Only what the record holds is read
 * (a ClientHello split over several records is seen in its first part).
 */
public final class ClientHelloView {
    private final byte[] record;
    private final int legacyVersion;
    private final List<Integer> extensions;
    private final List<Integer> supportedVersions;
    private final List<Integer> cipherSuites;

    private ClientHelloView(byte[] record, int legacyVersion, List<Integer> cipherSuites, List<Integer> extensions,
            List<Integer> supportedVersions) {
        this.record = record;
        this.cipherSuites = List.copyOf(cipherSuites);
        this.legacyVersion = legacyVersion;
        this.extensions = List.copyOf(extensions);
        this.supportedVersions = List.copyOf(supportedVersions);
    }

    /** Reads one record from {@code in} and parses it as a ClientHello, as far as it goes. */
    public static ClientHelloView read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] header = new byte[5];
        data.readFully(header);
        int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
        byte[] record = new byte[5 + length];
        System.arraycopy(header, 0, record, 0, 5);
        data.readFully(record, 5, length);
        return parse(record);
    }

    static ClientHelloView parse(byte[] record) {
        List<Integer> extensions = new ArrayList<>();
        List<Integer> versions = new ArrayList<>();
        List<Integer> suites = new ArrayList<>();
        int legacy = record.length > 10 ? u16(record, 9) : 0;
        // record header (5), handshake header (4), version (2), random (32)
        int at = 5 + 4 + 2 + 32;
        try {
            at += 1 + (record[at] & 0xff);            // session id
            int suitesEnd = at + 2 + u16(record, at);   // cipher suites
            for (int c = at + 2; c + 2 <= suitesEnd; c += 2) {
                suites.add(u16(record, c));
            }
            at = suitesEnd;
            at += 1 + (record[at] & 0xff);            // compression methods
            int end = Math.min(record.length, at + 2 + u16(record, at));
            at += 2;
            while (at + 4 <= end) {
                int type = u16(record, at);
                int len = u16(record, at + 2);
                extensions.add(type);
                if (type == 43 && at + 5 <= end) {
                    int listEnd = Math.min(end, at + 5 + (record[at + 4] & 0xff));
                    for (int v = at + 5; v + 2 <= listEnd; v += 2) {
                        versions.add(u16(record, v));
                    }
                }
                at += 4 + len;
            }
        } catch (ArrayIndexOutOfBoundsException truncated) {
            // what was read so far stands
        }
        return new ClientHelloView(record, legacy, suites, extensions, versions);
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    /** The whole record, header included, to forward. */
    public byte[] record() {
        return record.clone();
    }

    /** The record's length field: the size an F5-style size check sees. */
    public int recordLength() {
        return record.length - 5;
    }

    /** The hello's {@code legacy_version} ({@code 0x0303} for TLS 1.2 and 1.3 clients). */
    public int legacyVersion() {
        return legacyVersion;
    }

    /** The cipher suites offered, by code, in the client's order. */
    public List<Integer> cipherSuites() {
        return cipherSuites;
    }

    public List<Integer> extensionTypes() {
        return extensions;
    }

    /** The versions of the {@code supported_versions} extension; empty when it is absent. */
    public List<Integer> supportedVersions() {
        return supportedVersions;
    }

    /** The newest version offered, by either field. */
    public int newestVersion() {
        return supportedVersions.stream().filter(v -> v <= 0x0304).max(Integer::compare).orElse(legacyVersion);
    }
}
