package dev.tlsupgrade.conscrypt;

import dev.tlsupgrade.testing.TrustSourcesContract;

class ConscryptTrustSourcesTest extends TrustSourcesContract {
    @Override
    protected String backendName() {
        return "conscrypt";
    }
}
