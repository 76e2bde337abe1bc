package dev.tlsupgrade.jsse;

import dev.tlsupgrade.testing.DiagnosticsContract;

class JsseDiagnosticsTest extends DiagnosticsContract {
    @Override
    protected String backendName() {
        return "jsse";
    }
}
