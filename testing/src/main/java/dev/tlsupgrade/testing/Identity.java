package dev.tlsupgrade.testing;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;

/**
 * A certificate chain with its private key, in memory and as PEM files: {@link #certificatePem()}
 * holds the chain (leaf first), {@link #leafPem()} the leaf alone, {@link #keyPem()} the PKCS#8 key.
 */
public record Identity(String name, List<X509Certificate> chain, PrivateKey privateKey, Path certificatePem,
        Path leafPem, Path keyPem) {

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The chain's certificates after the leaf (the intermediates a server sends), as a PEM file, or null. */
    public Path issuerChainPem() {
        return chain.size() < 2 ? null : certificatePem.resolveSibling(name + "-issuers.crt");
    }

    /** A JSSE key manager factory holding this identity, for in-process servers. */
    public KeyManagerFactory keyManagerFactory() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] password = "test".toCharArray();
            ks.setKeyEntry(name, privateKey, password, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509", "SunJSSE");
            kmf.init(ks, password);
            return kmf;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
