package dev.tlsupgrade.jsse;

import dev.tlsupgrade.testing.RealServerContract;

class JsseRealServerTest extends RealServerContract {
    @Override
    protected String backendName() {
        return "jsse";
    }
}
