package dev.tlsupgrade.testing;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decrypts the client's first application-data record of a captured connection with nothing but an
 * NSS key log, as Wireshark would: proof that the key log a backend wrote is right. Handles AES-GCM
 * suites of TLS 1.3 (HKDF from CLIENT_TRAFFIC_SECRET_0) and TLS 1.2 (PRF from CLIENT_RANDOM's master
 * secret).
 */
public final class KeyLogDecryptor {
    private KeyLogDecryptor() {
    }

    /** The record layer's records: {type, version, body} per record. */
    private record Record(int type, byte[] header, byte[] body) {
    }

    private static List<Record> records(byte[] d) {
        List<Record> out = new ArrayList<>();
        for (int p = 0; p + 5 <= d.length; ) {
            int len = ((d[p + 3] & 0xff) << 8) | (d[p + 4] & 0xff);
            if (p + 5 + len > d.length) {
                break;
            }
            out.add(new Record(d[p] & 0xff, Arrays.copyOfRange(d, p, p + 5), Arrays.copyOfRange(d, p + 5, p + 5 + len)));
            p += 5 + len;
        }
        return out;
    }

    /** The 32-byte random of the first hello in {@code stream} (ClientHello or ServerHello). */
    public static byte[] helloRandom(byte[] stream) {
        return Arrays.copyOfRange(stream, 5 + 4 + 2, 5 + 4 + 2 + 32);
    }

    /** The key log's lines as label -> (client random hex -> secret). */
    private static Map<String, Map<String, byte[]>> parse(List<String> lines) {
        Map<String, Map<String, byte[]>> out = new TreeMap<>();
        for (String line : lines) {
            String[] f = line.trim().split(" ");
            if (f.length == 3) {
                out.computeIfAbsent(f[0], k -> new TreeMap<>()).put(f[1].toLowerCase(), HexFormat.of().parseHex(f[2]));
            }
        }
        return out;
    }

    /**
     * The plaintext of the client's first application-data record in {@code clientStream}.
     *
     * @param cipherSuite the negotiated suite (IANA name); AES-128-GCM or AES-256-GCM
     */
    public static byte[] firstClientApplicationData(List<String> keyLog, String protocol, String cipherSuite,
            byte[] clientStream, byte[] serverStream) throws GeneralSecurityException {
        Map<String, Map<String, byte[]>> log = parse(keyLog);
        String clientRandom = HexFormat.of().formatHex(helloRandom(clientStream));
        boolean aes256 = cipherSuite.contains("AES_256_GCM");
        boolean sha384 = cipherSuite.endsWith("SHA384");
        int keyLen = aes256 ? 32 : 16;
        String hmac = sha384 ? "HmacSHA384" : "HmacSHA256";
        List<Record> sent = records(clientStream);
        if (protocol.equals("TLSv1.3")) {
            byte[] secret = require(log, "CLIENT_TRAFFIC_SECRET_0", clientRandom);
            byte[] key = expandLabel(hmac, secret, "key", keyLen);
            byte[] iv = expandLabel(hmac, secret, "iv", 12);
            // Encrypted records (type 23): the first is the client's Finished, the second the first data.
            Record data = sent.stream().filter(r -> r.type == 23).skip(1).findFirst().orElseThrow();
            byte[] plain = gcm(key, nonce13(iv, 0), data.header, data.body);
            int end = plain.length;
            while (end > 0 && plain[end - 1] == 0) {
                end--;
            }
            return Arrays.copyOf(plain, end - 1);
        }
        byte[] master = require(log, "CLIENT_RANDOM", clientRandom);
        byte[] seed = concat(helloRandom(serverStream), helloRandom(clientStream));
        byte[] block = prf(hmac, master, "key expansion", seed, 2 * keyLen + 8);
        byte[] key = Arrays.copyOfRange(block, 0, keyLen);
        byte[] salt = Arrays.copyOfRange(block, 2 * keyLen, 2 * keyLen + 4);
        // After ChangeCipherSpec the client's Finished is record 0, its first data record 1.
        int ccs = 0;
        while (sent.get(ccs).type != 20) {
            ccs++;
        }
        Record data = sent.get(ccs + 2);
        byte[] explicit = Arrays.copyOfRange(data.body, 0, 8);
        byte[] cipherText = Arrays.copyOfRange(data.body, 8, data.body.length);
        int plainLen = cipherText.length - 16;
        byte[] aad = ByteBuffer.allocate(13).putLong(1).put((byte) 23).put(data.header, 1, 2).putShort((short) plainLen).array();
        return gcm(key, concat(salt, explicit), aad, cipherText);
    }

    private static byte[] require(Map<String, Map<String, byte[]>> log, String label, String clientRandom) {
        byte[] s = log.getOrDefault(label, Map.of()).get(clientRandom);
        if (s == null) {
            throw new AssertionError("the key log has no " + label + " line for client random " + clientRandom + ": " + log.keySet());
        }
        return s;
    }

    private static byte[] nonce13(byte[] iv, long seq) {
        byte[] n = iv.clone();
        for (int i = 0; i < 8; i++) {
            n[n.length - 1 - i] ^= (byte) (seq >>> (8 * i));
        }
        return n;
    }

    private static byte[] gcm(byte[] key, byte[] nonce, byte[] aad, byte[] cipherText) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(aad);
        return c.doFinal(cipherText);
    }

    /** HKDF-Expand-Label of RFC 8446 section 7.1 with an empty context. */
    private static byte[] expandLabel(String hmac, byte[] secret, String label, int length) throws GeneralSecurityException {
        byte[] full = ("tls13 " + label).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] info = ByteBuffer.allocate(2 + 1 + full.length + 1).putShort((short) length).put((byte) full.length)
                .put(full).put((byte) 0).array();
        Mac mac = Mac.getInstance(hmac);
        mac.init(new SecretKeySpec(secret, hmac));
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        for (int i = 0, counter = 1; i < length; counter++) {
            mac.update(t);
            mac.update(info);
            mac.update((byte) counter);
            t = mac.doFinal();
            int n = Math.min(t.length, length - i);
            System.arraycopy(t, 0, out, i, n);
            i += n;
        }
        return out;
    }

    /** The TLS 1.2 PRF (RFC 5246 section 5). */
    private static byte[] prf(String hmac, byte[] secret, String label, byte[] seed, int length) throws GeneralSecurityException {
        byte[] labelSeed = concat(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII), seed);
        Mac mac = Mac.getInstance(hmac);
        mac.init(new SecretKeySpec(secret, hmac));
        byte[] out = new byte[length];
        byte[] a = labelSeed;
        for (int i = 0; i < length; ) {
            a = mac.doFinal(a);
            byte[] chunk = mac.doFinal(concat(a, labelSeed));
            int n = Math.min(chunk.length, length - i);
            System.arraycopy(chunk, 0, out, i, n);
            i += n;
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
