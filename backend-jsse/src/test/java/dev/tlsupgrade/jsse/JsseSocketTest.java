package dev.tlsupgrade.jsse;

import dev.tlsupgrade.testing.SocketContract;

class JsseSocketTest extends SocketContract {
    @Override
    protected String backendName() {
        return "jsse";
    }
}
