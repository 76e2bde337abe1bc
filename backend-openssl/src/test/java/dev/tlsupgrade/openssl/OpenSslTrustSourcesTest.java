package dev.tlsupgrade.openssl;

import dev.tlsupgrade.testing.TrustSourcesContract;

class OpenSslTrustSourcesTest extends TrustSourcesContract {
    @Override
    protected String backendName() {
        return "openssl";
    }
}
