package dev.tlsupgrade.jsse;

import dev.tlsupgrade.testing.TrustSourcesContract;

class JsseTrustSourcesTest extends TrustSourcesContract {
    @Override
    protected String backendName() {
        return "jsse";
    }
}
