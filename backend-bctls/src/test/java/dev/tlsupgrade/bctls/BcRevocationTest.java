package dev.tlsupgrade.bctls;

import dev.tlsupgrade.testing.RevocationContract;

class BcRevocationTest extends RevocationContract {
    @Override
    protected String backendName() {
        return "bctls";
    }
}
