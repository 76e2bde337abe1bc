package dev.tlsupgrade.openssl;

import dev.tlsupgrade.testing.FaultSweepContract;

class OpenSslFaultSweepTest extends FaultSweepContract {
    @Override
    protected String backendName() {
        return "openssl";
    }
}
