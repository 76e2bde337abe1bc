package dev.tlsupgrade.jsse;

import dev.tlsupgrade.testing.RevocationContract;

class JsseRevocationTest extends RevocationContract {
    @Override
    protected String backendName() {
        return "jsse";
    }
}
