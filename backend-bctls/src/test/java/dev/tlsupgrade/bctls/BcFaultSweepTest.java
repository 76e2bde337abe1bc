package dev.tlsupgrade.bctls;

import dev.tlsupgrade.testing.FaultSweepContract;

class BcFaultSweepTest extends FaultSweepContract {
    @Override
    protected String backendName() {
        return "bctls";
    }
}
