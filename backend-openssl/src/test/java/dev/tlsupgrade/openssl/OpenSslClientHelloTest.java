package dev.tlsupgrade.openssl;

import dev.tlsupgrade.testing.ClientHelloContract;

class OpenSslClientHelloTest extends ClientHelloContract {
    @Override
    protected String backendName() {
        return "openssl";
    }

    /** tcnative and Conscrypt have no call to choose the signature schemes a client offers. */
    @Override
    protected boolean choosesSignatureSchemes() {
        return false;
    }
}
