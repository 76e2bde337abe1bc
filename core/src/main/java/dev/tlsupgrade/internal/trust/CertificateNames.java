package dev.tlsupgrade.internal.trust;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The names a certificate holds, read from its own DER bytes: the subjectAltName extension's
 * dNSName and iPAddress entries, and the subject's common name. Never from
 * {@link X509Certificate#getSubjectAlternativeNames()}, whose answer the JDK's name-constraint
 * check can change (it copies the CN into it) and which comes back empty for a SAN it cannot parse.
 */
final class CertificateNames {
    static final String SAN_OID = "2.5.29.17";
    private static final int TAG_DNS = 0x82;
    private static final int TAG_IP = 0x87;
    private static final byte[] CN_OID = {0x55, 0x04, 0x03};

    private final boolean hasSanExtension;
    private final List<String> dnsNames;
    private final List<byte[]> ipAddresses;
    private final List<String> otherNames;

    private CertificateNames(boolean hasSanExtension, List<String> dnsNames, List<byte[]> ipAddresses,
            List<String> otherNames) {
        this.hasSanExtension = hasSanExtension;
        this.dnsNames = Collections.unmodifiableList(dnsNames);
        this.ipAddresses = Collections.unmodifiableList(ipAddresses);
        this.otherNames = Collections.unmodifiableList(otherNames);
    }

    /**
     * The SAN entries of {@code cert}.
     *
     * @throws MalformedNameException when the extension is present but not well-formed DER
     */
    static CertificateNames of(X509Certificate cert) throws MalformedNameException {
        return parse(Extensions.value(cert, SAN_OID));
    }

    /** The SAN entries of a subjectAltName extension value as X509Certificate returns it (an OCTET STRING), or none for null. */
    static CertificateNames parse(byte[] wrapped) throws MalformedNameException {
        if (wrapped == null) {
            return new CertificateNames(false, List.of(), List.of(), List.of());
        }
        List<String> dns = new ArrayList<>();
        List<byte[]> ips = new ArrayList<>();
        List<String> other = new ArrayList<>();
        try {
            DerReader outer = new DerReader(wrapped);
            DerReader names = new DerReader(outer.read(0x04)).sequence();
            if (!outer.atEnd()) {
                throw new MalformedNameException("trailing bytes after the extension");
            }
            while (!names.atEnd()) {
                int tag = names.peekTag();
                byte[] value = names.read(tag);
                if (tag == TAG_DNS) {
                    dns.add(new String(value, StandardCharsets.ISO_8859_1));
                } else if (tag == TAG_IP) {
                    if (value.length != 4 && value.length != 16) {
                        throw new MalformedNameException("an iPAddress of " + value.length + " bytes");
                    }
                    ips.add(value);
                } else {
                    other.add(String.format("[%d]", tag & 0x1f));
                }
            }
        } catch (MalformedNameException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedNameException(e.getMessage());
        }
        return new CertificateNames(true, dns, ips, other);
    }

    /** True when the certificate has a subjectAltName extension at all. */
    boolean hasSanExtension() {
        return hasSanExtension;
    }

    /** The dNSName entries exactly as encoded (IA5String bytes, not normalised). */
    List<String> dnsNames() {
        return dnsNames;
    }

    /** The iPAddress entries, 4 or 16 bytes each. */
    List<byte[]> ipAddresses() {
        return ipAddresses;
    }

    /** Entries of other types, by tag. */
    List<String> otherNames() {
        return otherNames;
    }

    /**
     * The subject's common name, if exactly one string-typed CN attribute is there: the last CN of
     * several is not taken on trust, nor is a CN in a type that is not a string.
     */
    static String commonName(X509Certificate cert) {
        return commonName(cert.getSubjectX500Principal().getEncoded());
    }

    /** The common name in a DER-encoded Name, by the rule of {@link #commonName(X509Certificate)}. */
    static String commonName(byte[] name) {
        try {
            DerReader rdns = new DerReader(name).sequence();
            String found = null;
            int count = 0;
            while (!rdns.atEnd()) {
                DerReader set = rdns.set();
                while (!set.atEnd()) {
                    DerReader atv = set.sequence();
                    byte[] oid = atv.read(0x06);
                    int type = atv.peekTag();
                    byte[] value = atv.read(type);
                    if (java.util.Arrays.equals(oid, CN_OID)) {
                        count++;
                        found = decodeString(type, value);
                    }
                }
            }
            return count == 1 ? found : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String decodeString(int type, byte[] value) {
        switch (type) {
            case 0x0c: // UTF8String
                return new String(value, StandardCharsets.UTF_8);
            case 0x13: // PrintableString
            case 0x16: // IA5String
            case 0x14: // TeletexString, read as Latin-1
                return new String(value, StandardCharsets.ISO_8859_1);
            case 0x1e: // BMPString
                return new String(value, StandardCharsets.UTF_16BE);
            default:
                return null;
        }
    }

    /** A subjectAltName that is not well-formed. */
    static final class MalformedNameException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedNameException(String message) {
            super(message);
        }
    }
}
