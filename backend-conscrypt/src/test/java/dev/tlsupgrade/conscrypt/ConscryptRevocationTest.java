package dev.tlsupgrade.conscrypt;

import dev.tlsupgrade.testing.RevocationContract;

class ConscryptRevocationTest extends RevocationContract {
    @Override
    protected String backendName() {
        return "conscrypt";
    }
}
