package dev.tlsupgrade.openssl;

import dev.tlsupgrade.testing.RealServerContract;

class OpenSslRealServerTest extends RealServerContract {
    @Override
    protected String backendName() {
        return "openssl";
    }
}
