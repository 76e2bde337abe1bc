package dev.tlsupgrade.conscrypt;

import dev.tlsupgrade.testing.NativeResourceContract;

class ConscryptNativeResourceTest extends NativeResourceContract {
    @Override
    protected String backendName() {
        return "conscrypt";
    }
}
