package dev.tlsupgrade.openssl;

import dev.tlsupgrade.testing.LegacyZooContract;

class OpenSslLegacyZooTest extends LegacyZooContract {
    @Override
    protected String backendName() {
        return "openssl";
    }
}
