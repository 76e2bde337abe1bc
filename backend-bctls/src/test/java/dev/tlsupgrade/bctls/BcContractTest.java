package dev.tlsupgrade.bctls;

import dev.tlsupgrade.testing.BackendContract;

/** The contract on bctls (Bouncy Castle's low-level protocol for every version). */
class BcContractTest extends BackendContract {
    @Override
    protected String backendName() {
        return "bctls";
    }
}
