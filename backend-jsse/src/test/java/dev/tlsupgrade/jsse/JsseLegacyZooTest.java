package dev.tlsupgrade.jsse;

import dev.tlsupgrade.testing.LegacyZooContract;

class JsseLegacyZooTest extends LegacyZooContract {
    @Override
    protected String backendName() {
        return "jsse";
    }
}
