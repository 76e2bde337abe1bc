package dev.tlsupgrade.bctls;

import dev.tlsupgrade.testing.TrustContract;

class BcTrustTest extends TrustContract {
    @Override
    protected String backendName() {
        return "bctls";
    }
}
