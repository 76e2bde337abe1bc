package dev.tlsupgrade.bctls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.Echo;
import dev.tlsupgrade.testing.Identity;
import dev.tlsupgrade.testing.Loopback;
import dev.tlsupgrade.testing.OpenSslServer;
import dev.tlsupgrade.testing.TestCertificate;
import dev.tlsupgrade.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.ECGenParameterSpec;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Elliptic-curve crypto runs in Bouncy Castle (faster than JDK 17's SunEC) without losing what the
 * JDK's provider selection gives: a client's EC key signs its CertificateVerify, and a key only an
 * installed provider can use (a token's) still signs.
 */
@Timeout(60)
class EllipticSignatureTest {
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @ParameterizedTest
    @EnumSource(value = TlsVersion.class, names = {"TLS_1_2", "TLS_1_3"})
    void anEcClientCertificateSignsAndAnEcServerIsVerified(TlsVersion version) throws Exception {
        Identity client = TestCertificate.builder("CN=ec-client").eku(CLIENT_AUTH).build("ec-client");
        assertThat(client.privateKey().getAlgorithm()).isEqualTo("EC");
        try (OpenSslServer server = OpenSslServer.builder().identity(TestPki.get().benchmark(true)).version(version)
                .requireClientCertificate(TestPki.get().caPem()).start();
                SSLSocket tls = TlsBackends.get("bctls").newUpgrader(TlsClientConfig.builder().protocols(version)
                        .trustedCertificates(TestPki.get().caPem()).clientCertificate(client.certificatePem(), client.keyPem())
                        .build()).upgrade(Loopback.connect(Loopback.v4(), server.port()), "ec.bench.test", server.port())) {
            assertThat(Echo.roundTrip(tls, "ec")).isEqualTo("ce");
            assertThat(TlsHandshakeInfo.of(tls).orElseThrow().version()).isEqualTo(version);
            assertThat(tls.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm()).isEqualTo("EC");
        }
    }

    @Test
    void aKeyBouncyCastleCannotReadSignsThroughTheProviderThatHoldsIt() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        byte[] data = "to be signed".getBytes(StandardCharsets.US_ASCII);
        Provider token = new TokenProvider();
        Security.addProvider(token);
        try {
            Signature signer = new EllipticSignature("SHA256withECDSA", new BouncyCastleProvider());
            signer.initSign(new TokenKey(keys.getPrivate()));
            signer.update(data);
            byte[] signature = signer.sign();

            Signature verifier = new EllipticSignature("SHA256withECDSA", new BouncyCastleProvider());
            verifier.initVerify(keys.getPublic());
            verifier.update(data);
            assertThat(verifier.verify(signature)).isTrue();
            assertThat(TokenProvider.signatures).isEqualTo(1);
        } finally {
            Security.removeProvider(token.getName());
        }
    }

    /** A private key that exposes nothing, as a key inside a token does. */
    private static final class TokenKey implements PrivateKey {
        final PrivateKey inside;

        TokenKey(PrivateKey inside) {
            this.inside = inside;
        }

        @Override
        public String getAlgorithm() {
            return "EC";
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }
    }

    /** The token's provider: signs with a {@link TokenKey} and with nothing else. */
    public static final class TokenProvider extends Provider {
        static int signatures;

        TokenProvider() {
            super("TestToken", "1", "signs with keys that never leave it");
            put("Signature.SHA256withECDSA", TokenSignature.class.getName());
            put("Signature.SHA256withECDSA SupportedKeyClasses", TokenKey.class.getName());
        }
    }

    /** The token's signature engine. */
    public static final class TokenSignature extends SignatureSpi {
        private Signature inside;

        @Override
        protected void engineInitSign(PrivateKey key) throws InvalidKeyException {
            if (!(key instanceof TokenKey t)) {
                throw new InvalidKeyException("not a token key");
            }
            try {
                inside = Signature.getInstance("SHA256withECDSA", "SunEC");
            } catch (java.security.GeneralSecurityException e) {
                throw new InvalidKeyException(e);
            }
            inside.initSign(t.inside);
        }

        @Override
        protected void engineInitVerify(java.security.PublicKey key) throws InvalidKeyException {
            throw new InvalidKeyException("the token only signs");
        }

        @Override
        protected void engineUpdate(byte b) throws SignatureException {
            inside.update(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
            inside.update(b, off, len);
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            TokenProvider.signatures++;
            return inside.sign();
        }

        @Override
        protected boolean engineVerify(byte[] sigBytes) {
            throw new UnsupportedOperationException();
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new UnsupportedOperationException();
        }
    }
}
