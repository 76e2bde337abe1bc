package dev.tlsupgrade.internal.material;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The PEM reader on arbitrary text: certificates and keys are read or refused with an
 * {@link IllegalArgumentException}; nothing else escapes, and the block pattern cannot be driven
 * into a long backtrack.
 */
class PemFuzzTest {
    private static final Path SOURCE = Path.of("fuzz.pem");

    @FuzzTest(maxDuration = "10s")
    void pemIsReadOrRefused(byte[] data) {
        String text = new String(data, StandardCharsets.US_ASCII);
        try {
            Pem.certificates(text, SOURCE);
        } catch (IllegalArgumentException refused) {
            // the documented answer
        }
        try {
            Pem.privateKey(text, "secret".toCharArray(), SOURCE);
        } catch (IllegalArgumentException refused) {
            // the documented answer
        }
    }
}
