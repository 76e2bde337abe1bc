package dev.tlsupgrade.openssl;

import dev.tlsupgrade.testing.EngineContract;

class OpenSslEngineTest extends EngineContract {
    @Override
    protected String backendName() {
        return "openssl";
    }
}
