package dev.tlsupgrade;

import dev.tlsupgrade.internal.material.KeyStores;
import dev.tlsupgrade.internal.material.Pem;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The files a config's trust anchors and client identity were read from, with what reading them
 * again needs (a password, an alias), so that an upgrader can pick up rotated material.
 */
record MaterialFiles(Trust trust, Key key) {
    static final MaterialFiles NONE = new MaterialFiles(null, null);

    /** CA certificates from a PEM file, or from a trust store opened with {@code password}. */
    record Trust(Path file, char[] password) {
        static Trust pem(Path file) {
            return new Trust(file, null);
        }

        static Trust store(Path file, char[] password) {
            return new Trust(file, password.clone());
        }

        List<X509Certificate> read() {
            return password == null ? Pem.readCertificates(file) : KeyStores.trustedCertificates(file, password);
        }
    }

    /** A client identity from PEM files (a chain and a key, maybe encrypted) or from a key store's entry. */
    record Key(Path chainOrStore, Path keyPem, char[] password, String alias) {
        static Key pem(Path chain, Path key, char[] password) {
            return new Key(chain, key, password == null ? null : password.clone(), null);
        }

        static Key store(Path store, char[] password, String alias) {
            return new Key(store, null, password.clone(), alias);
        }

        /** The identity, refused when the key is not the leaf's (one file rewritten, the other not yet). */
        KeyStores.Identity read() {
            KeyStores.Identity id = keyPem == null ? KeyStores.read(chainOrStore, password, alias)
                    : new KeyStores.Identity(password == null ? Pem.readPrivateKey(keyPem) : Pem.readPrivateKey(keyPem,
                            password), Pem.readCertificates(chainOrStore));
            if (!pair(id.key(), id.chain().get(0))) {
                throw new IllegalArgumentException("the private key does not belong to the certificate '"
                        + id.chain().get(0).getSubjectX500Principal().getName() + "'");
            }
            return id;
        }

        private static boolean pair(java.security.PrivateKey key, X509Certificate leaf) {
            String algorithm = switch (key.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "EC" -> "SHA256withECDSA";
                case "Ed25519", "EdDSA" -> "Ed25519";
                default -> null;
            };
            if (algorithm == null) {
                return true; // no cheap test for it: the handshake will tell
            }
            try {
                byte[] probe = "tlsupgrade key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                java.security.Signature sign = java.security.Signature.getInstance(algorithm);
                sign.initSign(key);
                sign.update(probe);
                byte[] signature = sign.sign();
                java.security.Signature verify = java.security.Signature.getInstance(algorithm);
                verify.initVerify(leaf.getPublicKey());
                verify.update(probe);
                return verify.verify(signature);
            } catch (java.security.GeneralSecurityException e) {
                return false;
            }
        }

        List<Path> files() {
            return keyPem == null ? List.of(chainOrStore) : List.of(chainOrStore, keyPem);
        }
    }

    MaterialFiles withTrust(Trust t) {
        return new MaterialFiles(t, key);
    }

    MaterialFiles withKey(Key k) {
        return new MaterialFiles(trust, k);
    }

    /** Every file, trust first. */
    List<Path> files() {
        List<Path> all = new ArrayList<>();
        if (trust != null) {
            all.add(trust.file());
        }
        if (key != null) {
            all.addAll(key.files());
        }
        return all;
    }
}
