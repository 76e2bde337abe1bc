package dev.tlsupgrade.jsse;

import dev.tlsupgrade.testing.FaultSweepContract;

class JsseFaultSweepTest extends FaultSweepContract {
    @Override
    protected String backendName() {
        return "jsse";
    }
}
