package dev.tlsupgrade.conscrypt;

import dev.tlsupgrade.testing.SocketContract;

class ConscryptSocketTest extends SocketContract {
    @Override
    protected String backendName() {
        return "conscrypt";
    }
}
