package dev.tlsupgrade.internal.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The pieces of the trust decision that read hostile bytes and compare names. */
class DerAndConstraintsTest {
    @ParameterizedTest
    @CsvSource({
        "victim.test, victim.test, true",
        "www.victim.test, victim.test, true",
        "WWW.Victim.Test, victim.test, true",
        "evilvictim.test, victim.test, false",
        "victim.test.evil, victim.test, false",
        "www.victim.test, .victim.test, true",
        "victim.test, .victim.test, false",
        "*.victim.test, victim.test, true",
        "*.test, allowed.test, false",
        "anything.example, '', true",
    })
    void dnsSubtrees(String name, String base, boolean within) {
        assertThat(NameConstraintCheck.within(name, base)).isEqualTo(within);
    }

    @Test
    void derIsReadStrictly() {
        assertThatThrownBy(() -> new DerReader(new byte[] {0x04, (byte) 0x81, 0x01, 0x00}).read(0x04))
                .hasMessageContaining("shortest form");
        assertThatThrownBy(() -> new DerReader(new byte[] {0x04, 0x05, 0x00}).read(0x04))
                .hasMessageContaining("runs past");
        assertThatThrownBy(() -> new DerReader(new byte[] {0x30, 0x00}).read(0x04)).hasMessageContaining("tag 0x30");
        assertThatThrownBy(() -> new DerReader(new byte[] {0x1f, 0x01, 0x00}).read(0x1f)).hasMessageContaining("high tag");
        assertThat(new DerReader(new byte[] {0x04, 0x02, 0x61, 0x62}).read(0x04)).containsExactly(0x61, 0x62);
    }

    @Test
    void presentedNamesAreStrict() {
        assertThat(HostnameMatcher.isPresentedName("www.example.com")).isTrue();
        assertThat(HostnameMatcher.isPresentedName("*.example.com")).isTrue();
        for (String bad : new String[] {"", "a..b", "a.", ".a", "a b", "a\nb", "-a.b", "a-.b", "ｖｉｃｔｉｍ.test", "w*.a.b"}) {
            assertThat(HostnameMatcher.isPresentedName(bad)).as(bad).isFalse();
        }
    }
}
