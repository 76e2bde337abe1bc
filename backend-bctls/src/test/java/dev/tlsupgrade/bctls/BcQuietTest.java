package dev.tlsupgrade.bctls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An application using bctls sees nothing on its console from Bouncy Castle: BCJSSE printed its
 * set-up and every alert through java.util.logging (INFO and WARNING lines with stack traces); the
 * backend does not run it, so nothing of the user's logging set-up needs to change.
 */
@Timeout(120)
class BcQuietTest {
    @Test
    void successAndFailurePrintNothingThroughJavaUtilLogging() throws Exception {
        ChildJvm.Result r = ChildJvm.run(QuietMain.class);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("UPGRADED TLSv1.3", "FAILED NOT_TLS");
        assertThat(r.output().lines())
                .as("console lines from Bouncy Castle or java.util.logging")
                .noneMatch(l -> l.contains("org.bouncycastle") || l.startsWith("INFO:") || l.startsWith("WARNING:"));
    }
}
