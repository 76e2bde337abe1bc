package dev.tlsupgrade.conscrypt;

import dev.tlsupgrade.testing.RealServerContract;

class ConscryptRealServerTest extends RealServerContract {
    @Override
    protected String backendName() {
        return "conscrypt";
    }
}
