package dev.tlsupgrade.internal.trust;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
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
        // never a wildcard directly under a public suffix, one label (webpki::san::public-suffix-wildcard-san) or more
        "example.co.uk, *.co.uk, false",
        "www.example.co.uk, *.example.co.uk, true",
        "bucket.s3.amazonaws.com, *.s3.amazonaws.com, false",
        "www.corp.internal, *.corp.internal, true",
        "a.foo.ck, *.foo.ck, false",
        "a.www.ck, *.www.ck, true",
    })
    void dnsRules(String host, String pattern, boolean expected) {
        assertThat(HostnameMatcher.dnsMatches(host, pattern)).isEqualTo(expected);
    }

    /** The list as the jar ships it, read by the Public Suffix List's own rules: listed, wildcard, exception, and the implicit "*". */
    @Test
    void publicSuffixesFollowTheListsRules() {
        PublicSuffixes list = PublicSuffixes.of(new java.io.ByteArrayInputStream(String.join("\n", "// comment", "co.uk",
                "*.ck", "!www.ck", "公司.cn", "").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(list.covers("co.uk")).isTrue();
        assertThat(list.covers("example.co.uk")).isFalse();
        assertThat(list.covers("foo.ck")).isTrue();
        assertThat(list.covers("www.ck")).isFalse();
        assertThat(list.covers("xn--55qx5d.cn")).isTrue();
        assertThat(list.covers("anything")).isTrue();
        assertThat(list.covers("corp.internal")).isFalse();
        assertThat(PublicSuffixes.of(null).covers("example.com")).as("no list: wildcards fail closed").isTrue();
        assertThat(PublicSuffixes.class.getResource(PublicSuffixes.RESOURCE)).as("the list ships in the jar").isNotNull();
        assertThat(PublicSuffixes.isPublicSuffix("github.io")).isTrue();
        assertThat(PublicSuffixes.isPublicSuffix("example.com")).isFalse();
    }
}
