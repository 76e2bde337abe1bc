package dev.tlsupgrade.bctls;

import dev.tlsupgrade.testing.BackendContract;

/** The contract on bctls's default path: BCJSSE for TLS 1.2/1.3 configs, the low-level protocol for legacy ones. */
class BcContractTest extends BackendContract {
    @Override
    protected String backendName() {
        return "bctls";
    }
}
