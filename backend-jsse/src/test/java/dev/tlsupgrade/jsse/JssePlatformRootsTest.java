package dev.tlsupgrade.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.testing.ChildJvm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The platform's roots are exempt from the root profile core holds configured anchors to, as the
 * README says: the JDK's own trust store has roots without a subject key identifier that stay in
 * use. The check is core's, the same on every backend; it runs here, in a JVM whose platform trust
 * store is one such root ({@link PlatformRootsMain}).
 */
class JssePlatformRootsTest {
    /** One child JVM serves both tests: its platform trust store is set once, before anything reads it. */
    private static ChildJvm.Result r;

    @BeforeAll
    static void runTheChild() throws Exception {
        r = ChildJvm.run(PlatformRootsMain.class);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void aPlatformRootIsNotHeldToTheProfileOfAConfiguredOne() {
        assertThat(r.output()).contains("platform: accepted");
        assertThat(r.output()).containsPattern("configured: refused CERTIFICATE_UNTRUSTED .*without a subject key identifier");
    }

    /**
     * Core hears again a chain the JDK refused for holding a CN to a dNSName constraint only under a
     * root the application configured: the platform's roots carry the JDK's distrust policies, which
     * run only after its validation passes.
     */
    @Test
    void theNameConstraintHearingIsForConfiguredRootsOnly() {
        assertThat(r.output()).containsPattern("platform-cn: refused CERTIFICATE_UNTRUSTED .*name constraints");
        assertThat(r.output()).contains("configured-cn: accepted");
    }
}
