package dev.tlsupgrade.jsse;

import dev.tlsupgrade.testing.ClientHelloContract;

class JsseClientHelloTest extends ClientHelloContract {
    @Override
    protected String backendName() {
        return "jsse";
    }

    /** JDK 17 sets signature schemes only JVM-wide (SSLParameters.setSignatureSchemes arrived in JDK 19). */
    @Override
    protected boolean choosesSignatureSchemes() {
        return false;
    }
}
