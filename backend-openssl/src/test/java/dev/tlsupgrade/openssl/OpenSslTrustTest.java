package dev.tlsupgrade.openssl;

import dev.tlsupgrade.testing.TrustContract;

class OpenSslTrustTest extends TrustContract {
    @Override
    protected String backendName() {
        return "openssl";
    }
}
