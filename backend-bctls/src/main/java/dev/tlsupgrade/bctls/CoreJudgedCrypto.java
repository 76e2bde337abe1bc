package dev.tlsupgrade.bctls;

import java.io.IOException;
import java.security.SecureRandom;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCertificate;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * Bouncy Castle's crypto with one check handed to core: whether the server certificate's key usage
 * allows what the handshake does with its key. Core's trust decision makes that call the same way on
 * every backend (enforced for a CA-validated server, waived for a pinned or known key such as the
 * Windows RDP certificate, which has keyEncipherment but not digitalSignature and still signs).
 * Bouncy Castle's own check would refuse such a pinned key with a bare {@code internal_error}.
 */
final class CoreJudgedCrypto extends JcaTlsCrypto {
    CoreJudgedCrypto(JcaJceHelper helper, JcaJceHelper altHelper, SecureRandom keyRandom, SecureRandom nonceRandom) {
        super(helper, altHelper, keyRandom, nonceRandom);
    }

    @Override
    public TlsCertificate createCertificate(short type, byte[] encoding) throws IOException {
        return type == CertificateType.X509 ? new UsageJudgedByCore(this, encoding) : super.createCertificate(type, encoding);
    }

    /** A certificate whose key usage core's verifier has already judged. */
    private static final class UsageJudgedByCore extends JcaTlsCertificate {
        UsageJudgedByCore(JcaTlsCrypto crypto, byte[] encoding) throws IOException {
            super(crypto, encoding);
        }

        @Override
        protected boolean supportsKeyUsageBit(int bit) {
            return true;
        }

        @Override
        protected void validateKeyUsageBit(int bit) {
            // core's CertificatePolicy decided
        }
    }
}
