package dev.tlsupgrade.openssl;

import dev.tlsupgrade.testing.DiagnosticsContract;

class OpenSslDiagnosticsTest extends DiagnosticsContract {
    @Override
    protected String backendName() {
        return "openssl";
    }
}
