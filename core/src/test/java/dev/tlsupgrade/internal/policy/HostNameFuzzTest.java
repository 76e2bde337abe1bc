package dev.tlsupgrade.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tlsupgrade.internal.PrintableText;
import java.nio.charset.StandardCharsets;

/**
 * {@link HostName#of(String)} on arbitrary text: a name it accepts is a lower-case ASCII DNS name or
 * an IP literal without control characters; one it refuses is refused with an
 * {@link IllegalArgumentException} whose message carries no control characters (it quotes the input).
 */
class HostNameFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void namesAreNormalisedOrRefusedWithAnEscapedMessage(byte[] data) {
        String input = new String(data, StandardCharsets.UTF_8);
        try {
            HostName host = HostName.of(input);
            assertThat(host.name()).isNotEmpty();
            assertThat(host.name().chars().allMatch(c -> c > 0x20 && c < 0x7f)).as(host.name()).isTrue();
        } catch (IllegalArgumentException refused) {
            assertThat(PrintableText.is(refused.getMessage())).as(refused.getMessage()).isTrue();
        }
    }
}
