package dev.tlsupgrade.conscrypt;

import dev.tlsupgrade.testing.ClientHelloContract;

class ConscryptClientHelloTest extends ClientHelloContract {
    @Override
    protected String backendName() {
        return "conscrypt";
    }

    /** tcnative and Conscrypt have no call to choose the signature schemes a client offers. */
    @Override
    protected boolean choosesSignatureSchemes() {
        return false;
    }
}
