package dev.tlsupgrade.conscrypt;

import dev.tlsupgrade.testing.EngineContract;

class ConscryptEngineTest extends EngineContract {
    @Override
    protected String backendName() {
        return "conscrypt";
    }
}
