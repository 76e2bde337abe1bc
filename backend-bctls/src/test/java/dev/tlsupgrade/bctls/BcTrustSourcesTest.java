package dev.tlsupgrade.bctls;

import dev.tlsupgrade.testing.TrustSourcesContract;

class BcTrustSourcesTest extends TrustSourcesContract {
    @Override
    protected String backendName() {
        return "bctls";
    }
}
