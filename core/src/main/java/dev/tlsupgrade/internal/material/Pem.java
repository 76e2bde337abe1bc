package dev.tlsupgrade.internal.material;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads PEM files: certificates, and private keys in PKCS#8 ({@code PRIVATE KEY}), encrypted
 * PKCS#8 ({@code ENCRYPTED PRIVATE KEY}, PBES2 as {@code openssl pkcs8 -topk8} writes it), PKCS#1
 * ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) form. Uses only the JDK, so core needs
 * no provider library.
 */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final byte[] RSA_ALGORITHM = Der.sequence(
            Der.oid("1.2.840.113549.1.1.1"), new byte[] {0x05, 0x00});
    private static final String EC_PUBLIC_KEY_OID = "1.2.840.10045.2.1";

    private Pem() {
    }

    private record Block(String label, String body) {
    }

    /** Every certificate in the PEM file {@code file}, in file order. */
    public static List<X509Certificate> readCertificates(Path file) {
        return certificates(read(file), file);
    }

    /** Every certificate in the PEM {@code text} read from {@code file} (named in messages), in order. */
    static List<X509Certificate> certificates(String text, Path file) {
        List<X509Certificate> certs = new ArrayList<>();
        for (Block b : blocks(text)) {
            if (b.label.equals("CERTIFICATE") || b.label.equals("TRUSTED CERTIFICATE")) {
                certs.add(certificate(decode(file, b), file));
            }
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("no '-----BEGIN CERTIFICATE-----' block in " + file);
        }
        return certs;
    }

    /** The one unencrypted private key in the PEM file {@code file}. */
    public static PrivateKey readPrivateKey(Path file) {
        return readPrivateKey(file, null);
    }

    /**
     * The one private key in the PEM file {@code file}; {@code password} decrypts an
     * {@code ENCRYPTED PRIVATE KEY} block (null when the key is not encrypted).
     */
    public static PrivateKey readPrivateKey(Path file, char[] password) {
        return privateKey(read(file), password, file);
    }

    /** The one private key in the PEM {@code text} read from {@code file} (named in messages). */
    static PrivateKey privateKey(String text, char[] password, Path file) {
        for (Block b : blocks(text)) {
            switch (b.label) {
                case "PRIVATE KEY":
                    return pkcs8(decode(file, b), file);
                case "RSA PRIVATE KEY":
                    if (b.body.contains("ENCRYPTED")) {
                        throw encrypted(file);
                    }
                    return pkcs8(Der.sequence(Der.integer(0), RSA_ALGORITHM, Der.octetString(decode(file, b))), file);
                case "EC PRIVATE KEY":
                    if (b.body.contains("ENCRYPTED")) {
                        throw encrypted(file);
                    }
                    byte[] sec1 = decode(file, b);
                    byte[] curve = Der.ecCurveOf(sec1);
                    if (curve == null) {
                        throw new IllegalArgumentException("the EC private key in " + file + " does not name its curve");
                    }
                    return pkcs8(Der.sequence(Der.integer(0),
                            Der.sequence(Der.oid(EC_PUBLIC_KEY_OID), curve), Der.octetString(sec1)), file);
                case "ENCRYPTED PRIVATE KEY":
                    if (password == null) {
                        throw encrypted(file);
                    }
                    return pkcs8(decrypt(decode(file, b), password, file), file);
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("no private key block ('-----BEGIN PRIVATE KEY-----', RSA or EC) in " + file);
    }

    private static IllegalArgumentException encrypted(Path file) {
        return new IllegalArgumentException("the private key in " + file + " is encrypted; pass its password "
                + "(clientCertificate(chain, key, password)), or for a legacy 'Proc-Type: 4,ENCRYPTED' key convert it "
                + "with 'openssl pkcs8 -topk8 -in " + file + " -out key.pem'");
    }

    /** The PKCS#8 bytes inside an EncryptedPrivateKeyInfo, decrypted with the JDK's PBE (PBES1 or PBES2). */
    private static byte[] decrypt(byte[] der, char[] password, Path file) {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            AlgorithmParameters params = info.getAlgParameters();
            // For PBES2 the parameters name the real scheme (e.g. PBEWithHmacSHA256AndAES_256); getAlgName() says only PBES2.
            String scheme = params != null ? params.toString() : info.getAlgName();
            SecretKeyFactory factory = SecretKeyFactory.getInstance(scheme);
            Cipher cipher = Cipher.getInstance(scheme);
            cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password)), params);
            return info.getKeySpec(cipher).getEncoded();
        } catch (java.security.spec.InvalidKeySpecException wrongPassword) {
            throw new IllegalArgumentException("cannot decrypt the private key in " + file + ": wrong password?", wrongPassword);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot decrypt the private key in " + file + " with the JDK's algorithms: "
                    + e.getMessage(), e);
        }
    }

    private static PrivateKey pkcs8(byte[] der, Path file) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | IllegalArgumentException wrongAlgorithm) {
                // try the next key type
            }
        }
        throw new IllegalArgumentException("the private key in " + file + " is not an RSA, EC, EdDSA or DSA key the JDK can read");
    }

    private static X509Certificate certificate(byte[] der, Path file) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("a certificate in " + file + " cannot be parsed: " + e.getMessage(), e);
        }
    }

    private static byte[] decode(Path file, Block b) {
        StringBuilder base64 = new StringBuilder();
        for (String line : b.body.split("\\R")) {
            if (!line.contains(":")) {
                base64.append(line.trim());
            }
        }
        try {
            return Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + b.label + " block in " + file + " is not valid base64", e);
        }
    }

    private static List<Block> blocks(String text) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            out.add(new Block(m.group(1), m.group(2)));
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read PEM file " + file + ": " + (e instanceof java.nio.file.NoSuchFileException
                    ? "no such file" : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage()), e);
        }
    }
}
