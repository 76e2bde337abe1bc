package dev.tlsupgrade.conscrypt;

import dev.tlsupgrade.testing.FaultSweepContract;

class ConscryptFaultSweepTest extends FaultSweepContract {
    @Override
    protected String backendName() {
        return "conscrypt";
    }
}
