package dev.tlsupgrade.bctls;

import dev.tlsupgrade.testing.TrustMaterialContract;

class BcTrustMaterialTest extends TrustMaterialContract {
    @Override
    protected String backendName() {
        return "bctls";
    }
}
