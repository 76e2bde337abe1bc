package dev.tlsupgrade.internal.material;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A client identity that can be replaced while handshakes run: each one is handed out under an
 * alias naming its generation, so a handshake that chose an alias before a replacement still gets
 * that generation's key and chain (the previous one is kept for that), and the next handshake gets
 * the new one. Providers call it per handshake, so nothing of theirs needs to be rebuilt.
 */
public final class ReloadableKeyManager extends X509ExtendedKeyManager {
    private record Generation(int number, FixedKeyManager keys) {
        String alias(String inner) {
            return inner == null ? null : "g" + number + ":" + inner;
        }
    }

    private volatile Generation current;
    private volatile Generation previous;

    public ReloadableKeyManager(PrivateKey key, List<X509Certificate> chain) {
        this.current = new Generation(0, new FixedKeyManager(key, chain));
    }

    /** Hands out {@code key} and {@code chain} from the next handshake on. */
    public synchronized void replace(PrivateKey key, List<X509Certificate> chain) {
        previous = current;
        current = new Generation(current.number() + 1, new FixedKeyManager(key, chain));
    }

    private FixedKeyManager of(String alias) {
        for (Generation g : new Generation[] {current, previous}) {
            if (g != null && alias != null && alias.startsWith("g" + g.number() + ":")) {
                return g.keys();
            }
        }
        return null;
    }

    private static String inner(String alias) {
        return alias.substring(alias.indexOf(':') + 1);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        Generation g = current;
        return g.alias(g.keys().chooseClientAlias(keyTypes, issuers, socket));
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        Generation g = current;
        return g.alias(g.keys().chooseEngineClientAlias(keyTypes, issuers, engine));
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        Generation g = current;
        String[] inner = g.keys().getClientAliases(keyType, issuers);
        return inner == null ? null : new String[] {g.alias(inner[0])};
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
        FixedKeyManager k = of(alias);
        return k == null ? null : k.getCertificateChain(inner(alias));
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        FixedKeyManager k = of(alias);
        return k == null ? null : k.getPrivateKey(inner(alias));
    }
}
