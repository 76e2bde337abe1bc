package dev.tlsupgrade.openssl;

import dev.tlsupgrade.testing.SocketContract;

class OpenSslSocketTest extends SocketContract {
    @Override
    protected String backendName() {
        return "openssl";
    }
}
