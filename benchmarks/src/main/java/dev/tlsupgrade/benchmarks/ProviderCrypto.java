package dev.tlsupgrade.benchmarks;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The JDK's crypto next to Bouncy Castle's, for the operations a TLS client spends its time on,
 * measured in the same run as the paired comparison: it is why the bctls backend, and the bctls
 * anchors with it, take ciphers and RSA from the JDK and elliptic curves from Bouncy Castle, and what
 * BCJSSE set up as its documentation shows (all of Bouncy Castle's) gives up.
 * Each operation warms up 1.5 s per provider, then alternates 300 ms blocks of the two, five each,
 * and reports medians.
 */
final class ProviderCrypto {
    private record Operation(String name, String unit, double unitsPerRun, Workload.Operation<Exception> jdk, Workload.Operation<Exception> bouncyCastle) {
    }

    private ProviderCrypto() {
    }

    /** A markdown table: operation, the JDK's rate, Bouncy Castle's, and JDK / Bouncy Castle. */
    static String table() throws Exception {
        Provider bc = new BouncyCastleProvider();
        KeyPairGenerator ecGen = KeyPairGenerator.getInstance("EC");
        ecGen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ec = ecGen.generateKeyPair();
        KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
        rsaGen.initialize(2048);
        KeyPair rsa = rsaGen.generateKeyPair();
        byte[] message = new byte[256];
        byte[] ecSignature = sign("SHA256withECDSA", ec, message);
        byte[] rsaSignature = sign("SHA256withRSA", rsa, message);
        byte[] block = new byte[16 * 1024];
        Sealer jdkGcm = new Sealer(Security.getProvider("SunJCE"));
        Sealer bcGcm = new Sealer(bc);
        List<Operation> ops = List.of(
                new Operation("AES-128-GCM, 16 KiB", "MiB/s", 1.0 / 64,
                        () -> jdkGcm.seal(block), () -> bcGcm.seal(block)),
                new Operation("ECDSA P-256 verify", "/s", 1,
                        () -> verify(Security.getProvider("SunEC"), "SHA256withECDSA", ec, message, ecSignature),
                        () -> verify(bc, "SHA256withECDSA", ec, message, ecSignature)),
                new Operation("X25519 key pair + agreement (a TLS 1.3 key share)", "/s", 1,
                        agreement(Security.getProvider("SunEC")), agreement(bc)),
                new Operation("RSA-2048 verify", "/s", 1,
                        () -> verify(Security.getProvider("SunRsaSign"), "SHA256withRSA", rsa, message, rsaSignature),
                        () -> verify(bc, "SHA256withRSA", rsa, message, rsaSignature)));
        StringBuilder sb = new StringBuilder("| operation (one core) | JDK 17 | Bouncy Castle | JDK / Bouncy Castle |\n"
                + "|---|---|---|---|\n");
        for (Operation op : ops) {
            Workload.count(1_500_000_000L, op.jdk()); // the JIT compiles the JDK's AES-GCM intrinsics only after a while
            Workload.count(1_500_000_000L, op.bouncyCastle());
            double[] j = new double[5];
            double[] b = new double[5];
            for (int i = 0; i < 5; i++) {
                j[i] = Workload.count(300_000_000L, op.jdk()) * op.unitsPerRun();
                b[i] = Workload.count(300_000_000L, op.bouncyCastle()) * op.unitsPerRun();
            }
            double jm = PairStatistics.median(j);
            double bm = PairStatistics.median(b);
            sb.append(String.format(Locale.ROOT, "| %s | %.0f %s | %.0f %s | %.2f |%n", op.name(), jm, op.unit(), bm,
                    op.unit(), jm / bm));
        }
        return sb.toString();
    }

    private static byte[] sign(String algorithm, KeyPair keys, byte[] message) throws Exception {
        Signature s = Signature.getInstance(algorithm);
        s.initSign(keys.getPrivate());
        s.update(message);
        return s.sign();
    }

    private static void verify(Provider p, String algorithm, KeyPair keys, byte[] message, byte[] signature) throws Exception {
        Signature s = Signature.getInstance(algorithm, p);
        s.initVerify(keys.getPublic());
        s.update(message);
        if (!s.verify(signature)) {
            throw new IllegalStateException(algorithm + " in " + p.getName() + " refused a good signature");
        }
    }

    /** What a client does with the server's X25519 share: makes its own key pair and agrees. */
    private static Workload.Operation<Exception> agreement(Provider p) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("X25519", p);
        java.security.PublicKey server = g.generateKeyPair().getPublic();
        return () -> {
            KeyAgreement a = KeyAgreement.getInstance("X25519", p);
            a.init(g.generateKeyPair().getPrivate());
            a.doPhase(server, true);
            a.generateSecret();
        };
    }

    /** AES-128-GCM as a record layer runs it: one key, a new nonce per record. */
    private static final class Sealer {
        private final Cipher cipher;
        private final SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
        private final byte[] nonce = new byte[12];
        private long sequence;

        Sealer(Provider p) throws Exception {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding", p);
        }

        void seal(byte[] block) throws Exception {
            long n = ++sequence;
            for (int i = 0; i < 8; i++) {
                nonce[11 - i] = (byte) (n >>> (8 * i));
            }
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.doFinal(block);
        }
    }
}
