package dev.tlsupgrade.bctls;

import dev.tlsupgrade.testing.RealServerContract;

class BcRealServerTest extends RealServerContract {
    @Override
    protected String backendName() {
        return "bctls";
    }
}
