package dev.tlsupgrade.conscrypt;

import dev.tlsupgrade.testing.BackendContract;

class ConscryptContractTest extends BackendContract {
    @Override
    protected String backendName() {
        return "conscrypt";
    }
}
