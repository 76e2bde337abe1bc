package dev.tlsupgrade.conscrypt;

import dev.tlsupgrade.testing.TrustMaterialContract;

class ConscryptTrustMaterialTest extends TrustMaterialContract {
    @Override
    protected String backendName() {
        return "conscrypt";
    }
}
