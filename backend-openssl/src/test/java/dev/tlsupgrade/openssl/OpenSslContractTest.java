package dev.tlsupgrade.openssl;

import dev.tlsupgrade.testing.BackendContract;

class OpenSslContractTest extends BackendContract {
    @Override
    protected String backendName() {
        return "openssl";
    }
}
