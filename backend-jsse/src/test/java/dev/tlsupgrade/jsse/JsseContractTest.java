package dev.tlsupgrade.jsse;

import dev.tlsupgrade.testing.BackendContract;

class JsseContractTest extends BackendContract {
    @Override
    protected String backendName() {
        return "jsse";
    }
}
