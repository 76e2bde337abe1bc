package dev.tlsupgrade.bctls;

import dev.tlsupgrade.testing.EngineContract;

class BcEngineTest extends EngineContract {
    @Override
    protected String backendName() {
        return "bctls";
    }
}
