package dev.tlsupgrade.conscrypt;

import dev.tlsupgrade.testing.DiagnosticsContract;

class ConscryptDiagnosticsTest extends DiagnosticsContract {
    @Override
    protected String backendName() {
        return "conscrypt";
    }
}
