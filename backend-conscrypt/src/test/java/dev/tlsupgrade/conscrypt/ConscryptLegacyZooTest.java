package dev.tlsupgrade.conscrypt;

import dev.tlsupgrade.testing.LegacyZooContract;

class ConscryptLegacyZooTest extends LegacyZooContract {
    @Override
    protected String backendName() {
        return "conscrypt";
    }
}
