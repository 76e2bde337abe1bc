package dev.tlsupgrade.bctls;

import dev.tlsupgrade.testing.LegacyZooContract;

class BcLegacyZooTest extends LegacyZooContract {
    @Override
    protected String backendName() {
        return "bctls";
    }
}
