package dev.tlsupgrade.jsse;

import dev.tlsupgrade.testing.EngineContract;

class JsseEngineTest extends EngineContract {
    @Override
    protected String backendName() {
        return "jsse";
    }
}
