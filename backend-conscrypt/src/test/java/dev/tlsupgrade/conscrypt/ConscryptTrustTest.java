package dev.tlsupgrade.conscrypt;

import dev.tlsupgrade.testing.TrustContract;

class ConscryptTrustTest extends TrustContract {
    @Override
    protected String backendName() {
        return "conscrypt";
    }
}
