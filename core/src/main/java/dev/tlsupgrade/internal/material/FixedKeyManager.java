package dev.tlsupgrade.internal.material;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager holding exactly one client certificate chain and key, offered whenever the server
 * asks and the key type fits what it accepts. It never filters by the CA names the server lists:
 * the user configured this certificate for this server.
 */
public final class FixedKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "tlsupgrade-client";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    public FixedKeyManager(PrivateKey key, List<X509Certificate> chain) {
        this.key = key;
        this.chain = chain.toArray(new X509Certificate[0]);
    }

    private String alias(String[] keyTypes) {
        if (keyTypes == null) {
            return ALIAS;
        }
        String ours = key.getAlgorithm().toUpperCase(Locale.ROOT);
        for (String t : keyTypes) {
            String type = t.toUpperCase(Locale.ROOT);
            if (type.equals(ours) || type.startsWith(ours + "_") || ours.equals("RSA") && type.equals("RSASSA-PSS")
                    || ours.equals("EC") && type.equals("ECDSA") || ours.startsWith("ED") && type.equals("EDDSA")) {
                return ALIAS;
            }
        }
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return alias(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return alias(keyTypes);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return alias(new String[] {keyType}) == null ? null : new String[] {ALIAS};
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
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
