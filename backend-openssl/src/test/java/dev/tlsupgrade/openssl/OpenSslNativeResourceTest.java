package dev.tlsupgrade.openssl;

import dev.tlsupgrade.testing.NativeResourceContract;

class OpenSslNativeResourceTest extends NativeResourceContract {
    @Override
    protected String backendName() {
        return "openssl";
    }
}
