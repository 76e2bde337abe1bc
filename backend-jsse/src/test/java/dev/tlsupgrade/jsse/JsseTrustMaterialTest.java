package dev.tlsupgrade.jsse;

import dev.tlsupgrade.testing.TrustMaterialContract;

class JsseTrustMaterialTest extends TrustMaterialContract {
    @Override
    protected String backendName() {
        return "jsse";
    }
}
