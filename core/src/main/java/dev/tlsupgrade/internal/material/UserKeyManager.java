package dev.tlsupgrade.internal.material;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * A user's {@link X509KeyManager} as the {@link X509ExtendedKeyManager} every backend takes: engine
 * based backends (tcnative, Conscrypt's engine sockets) ask the engine variants, which a plain key
 * manager does not have, so they answer as the socket variants do.
 */
public final class UserKeyManager extends X509ExtendedKeyManager {
    private final X509KeyManager keys;

    private UserKeyManager(X509KeyManager keys) {
        this.keys = keys;
    }

    /** {@code keys} itself if it is extended already, otherwise wrapped. */
    public static X509ExtendedKeyManager of(X509KeyManager keys) {
        return keys instanceof X509ExtendedKeyManager extended ? extended : new UserKeyManager(keys);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return keys.chooseClientAlias(keyType, issuers, null);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return keys.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return keys.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return keys.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return keys.getPrivateKey(alias);
    }
}
