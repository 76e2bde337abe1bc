package dev.tlsupgrade.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostNameTest {

    @ParameterizedTest
    @CsvSource({
        "localhost, localhost, false",
        "Mail.Example.COM, mail.example.com, false",
        "x-1.my-host.example, x-1.my-host.example, false",
        "example.com., example.com, false",
        "localhost\u3002, localhost, false",
        "victim\uff0etest, victim.test, false",
        "victim\uff61test\u3002, victim.test, false",
        "bücher.example, xn--bcher-kva.example, false",
        "127.0.0.1, 127.0.0.1, true",
        "::1, ::1, true",
        "[::1], ::1, true",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1, true",
        "::ffff:192.0.2.1, ::ffff:c000:201, true",
        "fe80::1%eth0, fe80::1, true",
    })
    void acceptsAndNormalises(String input, String normalised, boolean ip) {
        HostName h = HostName.of(input);
        assertThat(h.name()).isEqualTo(normalised);
        assertThat(h.isIpLiteral()).isEqualTo(ip);
    }

    @Test
    void refusesAUrlAndSaysWhichHostToPass() {
        assertThatThrownBy(() -> HostName.of("wss://echo.websocket.org/path"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a URL").hasMessageContaining("'echo.websocket.org'");
    }

    @Test
    void refusesHostColonPortAndSplitsIt() {
        assertThatThrownBy(() -> HostName.of("db.example.com:5432"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host:port").hasMessageContaining("'db.example.com'").hasMessageContaining("5432");
        assertThatThrownBy(() -> HostName.of("[::1]:443")).hasMessageContaining("host:port").hasMessageContaining("'::1'");
    }

    @Test
    void refusesWhatIsNoHostName() {
        for (String bad : new String[] {"", " ", " localhost", "a/b", "a b", "under_score.example", "1.2.3", "256.1.1.1",
                "a..b", ".example", "1::2::3",
                "-lead.example", "trail-.example", "mid.-lead.example", "xn--.example!"}) {
            assertThatThrownBy(() -> HostName.of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> HostName.of(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
