package dev.tlsupgrade.bctls;

import dev.tlsupgrade.testing.ClientHelloContract;

class BcClientHelloTest extends ClientHelloContract {
    @Override
    protected String backendName() {
        return "bctls";
    }
}
