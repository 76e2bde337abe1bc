package dev.tlsupgrade.internal.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPinsTest {

    @Test
    void patternsMatchAsOkHttpsDo() {
        assertThat(HostPins.matches("example.com", "example.com")).isTrue();
        assertThat(HostPins.matches("example.com", "www.example.com")).isFalse();
        assertThat(HostPins.matches("*.example.com", "www.example.com")).isTrue();
        assertThat(HostPins.matches("*.example.com", "example.com")).isFalse();
        assertThat(HostPins.matches("*.example.com", "a.b.example.com")).isFalse();
        assertThat(HostPins.matches("*.example.com", "wwwexample.com")).isFalse();
        assertThat(HostPins.matches("**.example.com", "example.com")).isTrue();
        assertThat(HostPins.matches("**.example.com", "a.b.example.com")).isTrue();
        assertThat(HostPins.matches("**.example.com", "badexample.com")).isFalse();
    }

    @Test
    void badPatternsAreRefusedWithTheReason() {
        assertThat(HostPins.checkPattern(" *.Example.COM ")).isEqualTo("*.example.com");
        assertThatThrownBy(() -> HostPins.checkPattern("*.com")).hasMessageContaining("two labels");
        assertThatThrownBy(() -> HostPins.checkPattern("a*.example.com")).hasMessageContaining("host pattern");
        assertThatThrownBy(() -> HostPins.checkPattern("https://example.com")).hasMessageContaining("host pattern");
        assertThatThrownBy(() -> HostPins.checkPattern("*.192.0.2.1")).hasMessageContaining("host pattern");
    }
}
