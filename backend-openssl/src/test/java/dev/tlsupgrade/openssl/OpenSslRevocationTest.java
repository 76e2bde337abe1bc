package dev.tlsupgrade.openssl;

import dev.tlsupgrade.testing.RevocationContract;

class OpenSslRevocationTest extends RevocationContract {
    @Override
    protected String backendName() {
        return "openssl";
    }
}
