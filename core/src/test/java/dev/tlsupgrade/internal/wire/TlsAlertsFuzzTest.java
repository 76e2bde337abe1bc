package dev.tlsupgrade.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@link TlsAlerts} on arbitrary provider text: what it finds is always an alert RFC 8446 (or an
 * older RFC still seen) names, never close_notify, and the first alert it finds is among all it finds.
 */
class TlsAlertsFuzzTest {
    private static final Set<String> NAMED = IntStream.range(0, 256).mapToObj(TlsAlerts::name)
            .filter(n -> !n.startsWith("alert(") && !n.equals("close_notify")).collect(Collectors.toSet());

    @FuzzTest(maxDuration = "10s")
    void providerTextMapsOnlyToNamedAlerts(String text) {
        Set<String> all = TlsAlerts.allIn(text);
        Optional<String> first = TlsAlerts.findIn(text);
        assertThat(NAMED).containsAll(all);
        assertThat(first.isPresent()).as("first found exactly when any is: %s / %s", first, all).isEqualTo(!all.isEmpty());
        first.ifPresent(a -> assertThat(all).contains(a));
    }
}
