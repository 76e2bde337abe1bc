package dev.tlsupgrade.openssl;

import dev.tlsupgrade.testing.TrustMaterialContract;

class OpenSslTrustMaterialTest extends TrustMaterialContract {
    @Override
    protected String backendName() {
        return "openssl";
    }
}
