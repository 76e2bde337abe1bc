package dev.tlsupgrade.internal.material;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads a client identity (private key and certificate chain), or trusted CA certificates, from a
 * PKCS#12 or JKS key store file, the type told from the file itself, with the JDK alone.
 */
public final class KeyStores {
    private KeyStores() {
    }

    /** A private key with its certificate chain, leaf first. */
    public record Identity(PrivateKey key, List<X509Certificate> chain) {
    }

    /**
     * The key entry {@code alias} of the key store {@code file}, or its only key entry when
     * {@code alias} is null; {@code password} opens the store and the entry.
     */
    public static Identity read(Path file, char[] password, String alias) {
        KeyStore store = open(file, password);
        try {
            List<String> keys = new ArrayList<>();
            for (String a : Collections.list(store.aliases())) {
                if (store.isKeyEntry(a)) {
                    keys.add(a);
                }
            }
            String chosen = alias;
            if (chosen == null) {
                if (keys.size() != 1) {
                    throw new IllegalArgumentException("the key store " + file + " has " + keys.size()
                            + " key entries " + keys + "; name the one to use");
                }
                chosen = keys.get(0);
            } else if (!keys.contains(chosen)) {
                throw new IllegalArgumentException("the key store " + file + " has no key entry '" + chosen + "'; it has "
                        + keys);
            }
            Key key = store.getKey(chosen, password);
            if (!(key instanceof PrivateKey privateKey)) {
                throw new IllegalArgumentException("the entry '" + chosen + "' of " + file + " is not a private key");
            }
            Certificate[] chain = store.getCertificateChain(chosen);
            List<X509Certificate> x509 = new ArrayList<>();
            for (Certificate c : chain == null ? new Certificate[0] : chain) {
                x509.add((X509Certificate) c);
            }
            if (x509.isEmpty()) {
                throw new IllegalArgumentException("the entry '" + chosen + "' of " + file + " has no certificate chain");
            }
            return new Identity(privateKey, x509);
        } catch (UnrecoverableKeyException e) {
            throw new IllegalArgumentException("cannot read the key of " + file + ": wrong password?", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the key store " + file + ": " + e.getMessage(), e);
        }
    }

    /** The trusted certificate entries of the trust store {@code file}, which {@code password} opens. */
    public static List<X509Certificate> trustedCertificates(Path file, char[] password) {
        return trustedCertificates(open(file, password), "the trust store " + file);
    }

    /**
     * The trusted certificate entries of {@code store} (what {@code keytool -importcert} writes);
     * {@code what} names it in errors.
     */
    public static List<X509Certificate> trustedCertificates(KeyStore store, String what) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            for (String a : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(a) && store.getCertificate(a) instanceof X509Certificate c) {
                    out.add(c);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read " + what + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(what + " holds no trusted certificate entry; nothing would be trusted");
        }
        return out;
    }

    private static KeyStore open(Path file, char[] password) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no key store file " + file.toAbsolutePath());
        }
        try {
            return KeyStore.getInstance(file.toFile(), password);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open the key store " + file + ": " + (e.getCause()
                    instanceof UnrecoverableKeyException ? "wrong password" : e.getMessage()), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot open the key store " + file + " (PKCS#12 or JKS expected): "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot open the key store " + file + ": " + e, e);
        }
    }
}
