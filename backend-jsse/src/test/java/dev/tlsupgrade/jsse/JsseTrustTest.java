package dev.tlsupgrade.jsse;

import dev.tlsupgrade.testing.TrustContract;

class JsseTrustTest extends TrustContract {
    @Override
    protected String backendName() {
        return "jsse";
    }
}
