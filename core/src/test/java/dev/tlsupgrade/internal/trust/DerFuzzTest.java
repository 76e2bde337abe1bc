package dev.tlsupgrade.internal.trust;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The DER readers of the trust decision (subjectAltName, nameConstraints, key identifiers, the
 * subject's common name) on arbitrary bytes: each answers or refuses with its one documented
 * exception, never anything else, and never hangs. The first byte picks whether the rest is given
 * as it is or wrapped in an OCTET STRING, as X509Certificate hands extension values over.
 */
class DerFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void readersAnswerOrRefuseCleanly(byte[] data) {
        if (data.length == 0) {
            return;
        }
        byte[] rest = java.util.Arrays.copyOfRange(data, 1, data.length);
        byte[] input = (data[0] & 1) == 0 ? rest : octetString(rest);
        try {
            CertificateNames names = CertificateNames.parse(input);
            for (String dns : names.dnsNames()) {
                HostnameMatcher.isPresentedName(dns);
                HostnameMatcher.dnsMatches("a.example.test", dns);
            }
        } catch (CertificateNames.MalformedNameException expected) {
            // refused: the documented answer to malformed DER
        }
        try {
            NameConstraintCheck.parse(input);
        } catch (IllegalArgumentException expected) {
            // refused
        }
        KeyIdentifiers.authority(input);
        KeyIdentifiers.subject(input);
        CertificateNames.commonName(rest);
    }

    private static byte[] octetString(byte[] content) {
        byte[] length = content.length < 0x80 ? new byte[] {(byte) content.length}
                : content.length < 0x100 ? new byte[] {(byte) 0x81, (byte) content.length}
                : new byte[] {(byte) 0x82, (byte) (content.length >> 8), (byte) content.length};
        byte[] out = new byte[1 + length.length + content.length];
        out[0] = 0x04;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(content, 0, out, 1 + length.length, content.length);
        return out;
    }
}
