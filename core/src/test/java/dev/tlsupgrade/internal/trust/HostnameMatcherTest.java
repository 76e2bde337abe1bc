package dev.tlsupgrade.internal.trust;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostnameMatcherTest {

    @ParameterizedTest
    @CsvSource({
        "www.example.com, www.example.com, true",
        "www.example.com, www.example.COM, true",
        "www.example.com, www.example.com., false",
        "www.example.com, ' www.example.com', false",
        "www.example.com, www..example.com, false",
        "www.example.com, *.*.com, false",
        "www.example.com, *.example.com, true",
        "a.b.example.com, *.example.com, false",
        "example.com, *.example.com, false",
        "example.com, *.com, false",
        "www.example.com, w*.example.com, false",
        "www.example.com, *w.example.com, false",
        "www.example.com, www.*.com, false",
        "xn--bcher-kva.example.com, *.example.com, false",
        "localhost, localhost, true",
        "localhost, *, false",
        "other.example.com, www.example.com, false",
    })
    void dnsRules(String host, String pattern, boolean expected) {
        assertThat(HostnameMatcher.dnsMatches(host, pattern)).isEqualTo(expected);
    }
}
