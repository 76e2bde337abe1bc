package dev.tlsupgrade.bctls;

import java.security.AlgorithmParameterGenerator;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CertStoreParameters;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.ExemptionMechanism;
import javax.crypto.KeyAgreement;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKeyFactory;
import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.jcajce.util.ProviderJcaJceHelper;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * Bouncy Castle TLS crypto that takes each algorithm from whichever provider does it faster: the
 * JDK's for ciphers, MACs, digests and RSA, a private Bouncy Castle provider instance (never
 * installed JVM-wide) for elliptic curves and for names the JDK lacks.
 *
 * <p>Why, measured on JDK 17 (one core): AES-128-GCM moves about 1,700 MiB/s on the JDK's
 * intrinsics and 55-80 MiB/s in Bouncy Castle's Java; ECDSA P-256 verifies about 700 times a second
 * in the JDK's SunEC and 3,500 in Bouncy Castle, X25519 and P-256 key agreement are 2-5 times faster
 * there too; RSA is even. With the JDK's alone, TLS 1.3 against RSA servers also failed: Bouncy
 * Castle asks for RSA-PSS under names (such as {@code SHA256withRSAandMGF1}) the JDK does not use.
 * Elliptic-curve signing falls back to the installed providers for a private key Bouncy Castle
 * cannot read ({@link EllipticSignature}).
 */
final class PerAlgorithmCrypto extends JcaTlsCryptoProvider {
    private final JcaJceHelper helper = new PerAlgorithmHelper(new BouncyCastleProvider());

    @Override
    public JcaJceHelper getHelper() {
        return helper;
    }

    /**
     * Bouncy Castle's default asks the installed providers for a SecureRandom named "DEFAULT", which
     * only an installed Bouncy Castle provider has: hand it the platform's.
     */
    @Override
    public JcaTlsCrypto create(SecureRandom random) {
        return create(random == null ? new SecureRandom() : random, new SecureRandom());
    }

    /** Key usage is core's to judge ({@link CoreJudgedCrypto}). */
    @Override
    public JcaTlsCrypto create(SecureRandom keyRandom, SecureRandom nonceRandom) {
        return new CoreJudgedCrypto(getHelper(), getAltHelper(), keyRandom, nonceRandom);
    }

    private static final class PerAlgorithmHelper implements JcaJceHelper {
        private final JcaJceHelper jdk = new DefaultJcaJceHelper();
        private final JcaJceHelper bc;
        private final Provider bouncyCastle;
        /** Names the JDK was asked for and lacks, so each costs one exception per JVM, not per handshake. */
        private final Set<String> notInJdk = ConcurrentHashMap.newKeySet();

        PerAlgorithmHelper(Provider bouncyCastle) {
            this.bc = new ProviderJcaJceHelper(bouncyCastle);
            this.bouncyCastle = bouncyCastle;
        }

        /**
         * Whether {@code name} is an elliptic-curve algorithm (ECDSA, ECDH, X25519/X448, EdDSA, or
         * the key and parameter type "EC"): the ones Bouncy Castle computes faster than JDK 17.
         */
        static boolean elliptic(String name) {
            String n = name.toUpperCase(java.util.Locale.ROOT);
            return n.startsWith("EC") || n.contains("WITHECDSA") || n.contains("X25519") || n.contains("X448")
                    || n.equals("XDH") || n.contains("ED25519") || n.contains("ED448") || n.equals("EDDSA");
        }

        private interface Lookup<T> {
            T in(JcaJceHelper helper) throws GeneralSecurityException;
        }

        private <T> T find(String kind, String name, Lookup<T> lookup) throws GeneralSecurityException {
            if (elliptic(name)) {
                try {
                    return lookup.in(bc);
                } catch (NoSuchAlgorithmException | NoSuchPaddingException | NoSuchProviderException missing) {
                    return lookup.in(jdk);
                }
            }
            String key = kind + ":" + name;
            if (!notInJdk.contains(key)) {
                try {
                    return lookup.in(jdk);
                } catch (NoSuchAlgorithmException | NoSuchPaddingException | NoSuchProviderException missing) {
                    notInJdk.add(key);
                }
            }
            return lookup.in(bc);
        }

        private <T> T get(String kind, String name, Lookup<T> lookup) throws NoSuchAlgorithmException {
            try {
                return find(kind, name, lookup);
            } catch (NoSuchAlgorithmException e) {
                throw e;
            } catch (GeneralSecurityException e) {
                throw new NoSuchAlgorithmException(kind + " " + name + ": " + e.getMessage(), e);
            }
        }

        @Override
        public Cipher createCipher(String name) throws NoSuchAlgorithmException {
            return get("Cipher", name, h -> h.createCipher(name));
        }

        @Override
        public Mac createMac(String name) throws NoSuchAlgorithmException {
            return get("Mac", name, h -> h.createMac(name));
        }

        @Override
        public KeyAgreement createKeyAgreement(String name) throws NoSuchAlgorithmException {
            return get("KeyAgreement", name, h -> h.createKeyAgreement(name));
        }

        @Override
        public AlgorithmParameterGenerator createAlgorithmParameterGenerator(String name) throws NoSuchAlgorithmException {
            return get("AlgorithmParameterGenerator", name, h -> h.createAlgorithmParameterGenerator(name));
        }

        @Override
        public AlgorithmParameters createAlgorithmParameters(String name) throws NoSuchAlgorithmException {
            return get("AlgorithmParameters", name, h -> h.createAlgorithmParameters(name));
        }

        @Override
        public KeyGenerator createKeyGenerator(String name) throws NoSuchAlgorithmException {
            return get("KeyGenerator", name, h -> h.createKeyGenerator(name));
        }

        @Override
        public KeyFactory createKeyFactory(String name) throws NoSuchAlgorithmException {
            return get("KeyFactory", name, h -> h.createKeyFactory(name));
        }

        @Override
        public SecretKeyFactory createSecretKeyFactory(String name) throws NoSuchAlgorithmException {
            return get("SecretKeyFactory", name, h -> h.createSecretKeyFactory(name));
        }

        @Override
        public KeyPairGenerator createKeyPairGenerator(String name) throws NoSuchAlgorithmException {
            return get("KeyPairGenerator", name, h -> h.createKeyPairGenerator(name));
        }

        @Override
        @SuppressWarnings("deprecation")
        public MessageDigest createDigest(String name) throws NoSuchAlgorithmException {
            return get("MessageDigest", name, h -> h.createMessageDigest(name));
        }

        @Override
        public MessageDigest createMessageDigest(String name) throws NoSuchAlgorithmException {
            return get("MessageDigest", name, h -> h.createMessageDigest(name));
        }

        @Override
        public Signature createSignature(String name) throws NoSuchAlgorithmException {
            if (elliptic(name)) {
                try {
                    return new EllipticSignature(name, bouncyCastle);
                } catch (NoSuchAlgorithmException notInBouncyCastle) {
                    // find() asks the JDK next
                }
            }
            return get("Signature", name, h -> h.createSignature(name));
        }

        @Override
        public CertificateFactory createCertificateFactory(String name) throws CertificateException {
            try {
                return find("CertificateFactory", name, h -> h.createCertificateFactory(name));
            } catch (CertificateException e) {
                throw e;
            } catch (GeneralSecurityException e) {
                throw new CertificateException(e.getMessage(), e);
            }
        }

        @Override
        public SecureRandom createSecureRandom(String name) throws NoSuchAlgorithmException {
            return get("SecureRandom", name, h -> h.createSecureRandom(name));
        }

        @Override
        public CertPathBuilder createCertPathBuilder(String name) throws NoSuchAlgorithmException {
            return get("CertPathBuilder", name, h -> h.createCertPathBuilder(name));
        }

        @Override
        public CertPathValidator createCertPathValidator(String name) throws NoSuchAlgorithmException {
            return get("CertPathValidator", name, h -> h.createCertPathValidator(name));
        }

        @Override
        public CertStore createCertStore(String name, CertStoreParameters params)
                throws NoSuchAlgorithmException, InvalidAlgorithmParameterException {
            try {
                return find("CertStore", name, h -> h.createCertStore(name, params));
            } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
                throw e;
            } catch (GeneralSecurityException e) {
                throw new NoSuchAlgorithmException(e.getMessage(), e);
            }
        }

        @Override
        public ExemptionMechanism createExemptionMechanism(String name) throws NoSuchAlgorithmException {
            return get("ExemptionMechanism", name, h -> h.createExemptionMechanism(name));
        }

        @Override
        public KeyStore createKeyStore(String name) throws KeyStoreException {
            try {
                return find("KeyStore", name, h -> h.createKeyStore(name));
            } catch (KeyStoreException e) {
                throw e;
            } catch (GeneralSecurityException e) {
                throw new KeyStoreException(e.getMessage(), e);
            }
        }
    }
}
