package dev.tlsupgrade.bctls;

import dev.tlsupgrade.testing.DiagnosticsContract;

class BcDiagnosticsTest extends DiagnosticsContract {
    @Override
    protected String backendName() {
        return "bctls";
    }
}
