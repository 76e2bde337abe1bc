package dev.tlsupgrade.bctls;

import dev.tlsupgrade.testing.SocketContract;

class BcSocketTest extends SocketContract {
    @Override
    protected String backendName() {
        return "bctls";
    }
}
