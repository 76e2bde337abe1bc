package dev.tlsupgrade.internal.trust;

import dev.tlsupgrade.FailureKind;
import dev.tlsupgrade.RevocationMode;
import dev.tlsupgrade.internal.Text;
import dev.tlsupgrade.internal.material.Der;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the server's certificate (the end entity of the validated path) is revoked: from the
 * response the server stapled, or (in the fetching modes) from the OCSP responder its AIA names or
 * the CRL its distribution point names, fetched over HTTP within a deadline. Every answer is judged
 * by the JDK's PKIX revocation checker (signature, responder, freshness, status); core only fetches,
 * caches answers for their validity, and says what happened.
 */
public final class Revocation {
    private static final Logger LOG = LoggerFactory.getLogger(Revocation.class);
    private static final String AIA = "1.3.6.1.5.5.7.1.1";
    private static final String CRL_DISTRIBUTION_POINTS = "2.5.29.31";
    private static final String TLS_FEATURE = "1.3.6.1.5.5.7.1.24";
    private static final byte[] OCSP_METHOD = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01};
    private static final int MAX_ANSWER = 4 * 1024 * 1024;

    private record Cached(byte[] answer, boolean crl, Instant until) {
    }

    private final RevocationMode mode;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public Revocation(RevocationMode mode) {
        this.mode = mode;
    }

    /**
     * Checks {@code path} (leaf first, ending with its trust anchor).
     *
     * @param stapled the OCSP response the server stapled, if any
     * @param deadlineNanos when fetching must have ended ({@link System#nanoTime()})
     * @throws CertificateProblem when the certificate is revoked, or its status is not what the mode demands
     */
    public void check(X509Certificate[] path, Optional<byte[]> stapled, long deadlineNanos) throws CertificateProblem {
        if (mode == RevocationMode.OFF || path.length < 2) {
            return;
        }
        X509Certificate leaf = path[0];
        String subject = CertificateVerifier.subject(leaf);
        if (stapled.isPresent()) {
            judge(path, stapled.get(), false, "the OCSP response the server stapled");
            return;
        }
        if (mustStaple(leaf)) {
            throw unknown(leaf, "it demands a stapled OCSP response (must-staple) and the server stapled none",
                    "configure the server to staple OCSP responses (nginx: ssl_stapling on), or have the certificate "
                            + "reissued without must-staple.");
        }
        if (mode == RevocationMode.STAPLED_IF_PRESENT) {
            return;
        }
        if (mode == RevocationMode.STAPLED_REQUIRED) {
            throw unknown(leaf, "the server stapled no OCSP response, which revocation(STAPLED_REQUIRED) demands",
                    "configure the server to staple OCSP responses (nginx: ssl_stapling on), or choose "
                            + "revocation(SOFT_FAIL) or revocation(HARD_FAIL) to ask the CA's responder instead.");
        }
        Optional<String> ocsp = ocspUrl(leaf);
        Optional<String> crl = ocsp.isPresent() ? Optional.empty() : crlUrl(leaf);
        if (ocsp.isEmpty() && crl.isEmpty()) {
            undetermined(leaf, "it names neither an OCSP responder (AIA) nor a CRL distribution point over HTTP");
            return;
        }
        String url = ocsp.orElseGet(crl::get);
        String key = url + "|" + leaf.getSerialNumber().toString(16) + "|" + leaf.getIssuerX500Principal().getName();
        Cached cached = cache.get(key);
        if (cached != null && Instant.now().isBefore(cached.until())) {
            judge(path, cached.answer(), cached.crl(), "the " + (cached.crl() ? "CRL" : "OCSP response") + " from " + url
                    + " (cached)");
            return;
        }
        byte[] answer;
        try {
            answer = ocsp.isPresent() ? post(url, ocspRequest(leaf, path[1]), deadlineNanos) : get(url, deadlineNanos);
        } catch (IOException | RuntimeException e) {
            undetermined(leaf, (ocsp.isPresent() ? "its OCSP responder " : "its CRL at ") + url + " could not be reached ("
                    + Text.escape(String.valueOf(e.getMessage())) + ")");
            return;
        }
        judge(path, answer, crl.isPresent(), "the " + (crl.isPresent() ? "CRL" : "OCSP response") + " from " + url);
        Instant until = crl.isPresent() ? crlNextUpdate(answer) : ocspNextUpdate(answer);
        if (until != null) {
            cache.put(key, new Cached(answer, crl.isPresent(), until));
        }
    }

    /** Lets the JDK's PKIX validator judge {@code answer} for the leaf of {@code path}. */
    private void judge(X509Certificate[] path, byte[] answer, boolean isCrl, String what) throws CertificateProblem {
        X509Certificate leaf = path[0];
        try {
            CertPathValidator validator = CertPathValidator.getInstance("PKIX");
            PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
            EnumSet<PKIXRevocationChecker.Option> options = EnumSet.of(PKIXRevocationChecker.Option.ONLY_END_ENTITY,
                    PKIXRevocationChecker.Option.NO_FALLBACK);
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(path[path.length - 1], null)));
            params.setRevocationEnabled(false);
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            if (isCrl) {
                options.add(PKIXRevocationChecker.Option.PREFER_CRLS);
                X509CRL crl = (X509CRL) x509.generateCRL(new ByteArrayInputStream(answer));
                params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(List.of(crl))));
            } else {
                checker.setOcspResponses(Map.of(leaf, answer));
            }
            checker.setOptions(options);
            params.addCertPathChecker(checker);
            validator.validate(x509.generateCertPath(List.of(Arrays.copyOf(path, path.length - 1))), params);
        } catch (CertPathValidatorException e) {
            if (e.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
                throw new CertificateProblem(FailureKind.CERTIFICATE_REVOKED, 0, CertificateVerifier.subject(leaf),
                        "the server's certificate '" + CertificateVerifier.subject(leaf) + "' is revoked, says " + what
                                + " (" + Text.escape(e.getMessage()) + ").",
                        "the server must get a new certificate; until then it cannot be trusted.", e);
            }
            throw new CertificateProblem(FailureKind.CERTIFICATE_REVOKED, 0, CertificateVerifier.subject(leaf),
                    "the revocation status of the server's certificate '" + CertificateVerifier.subject(leaf)
                            + "' is not established: " + what + " was refused (" + Text.escape(e.getMessage()) + ").",
                    "an answer that is stale, unknown or signed by the wrong responder proves nothing: check the "
                            + "server's stapling and the CA's responder.", e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CertificateProblem(FailureKind.CERTIFICATE_REVOKED, 0, CertificateVerifier.subject(leaf),
                    "the revocation status of the server's certificate '" + CertificateVerifier.subject(leaf)
                            + "' is not established: " + what + " cannot be read (" + Text.escape(e.toString()) + ").",
                    "check the server's stapling and the CA's responder.", e);
        }
    }

    private void undetermined(X509Certificate leaf, String why) throws CertificateProblem {
        if (mode == RevocationMode.SOFT_FAIL) {
            LOG.warn("the revocation status of '{}' is unknown: {}; accepted (revocation(SOFT_FAIL))",
                    CertificateVerifier.subject(leaf), why);
            return;
        }
        throw unknown(leaf, why, "make the CA's responder reachable from here, or choose revocation(SOFT_FAIL) to "
                + "accept a status that cannot be fetched.");
    }

    private static CertificateProblem unknown(X509Certificate leaf, String why, String hint) {
        return new CertificateProblem(FailureKind.CERTIFICATE_REVOKED, 0, CertificateVerifier.subject(leaf),
                "the revocation status of the server's certificate '" + CertificateVerifier.subject(leaf)
                        + "' is not established: " + why + ".", hint, null);
    }

    /** Whether {@code leaf} carries the TLS feature extension with status_request (RFC 7633). */
    static boolean mustStaple(X509Certificate leaf) {
        byte[] ext = Extensions.value(leaf, TLS_FEATURE);
        if (ext == null) {
            return false;
        }
        try {
            DerReader features = new DerReader(new DerReader(ext).read(0x04)).sequence();
            while (!features.atEnd()) {
                byte[] v = features.read(0x02);
                if (v.length == 1 && v[0] == 5) {
                    return true;
                }
            }
            return false;
        } catch (IllegalArgumentException malformed) {
            return true; // a feature list that cannot be read is treated as demanding the most
        }
    }

    /** The first http OCSP responder URL of {@code cert}'s authorityInfoAccess. */
    static Optional<String> ocspUrl(X509Certificate cert) {
        byte[] ext = Extensions.value(cert, AIA);
        if (ext == null) {
            return Optional.empty();
        }
        try {
            DerReader access = new DerReader(new DerReader(ext).read(0x04)).sequence();
            while (!access.atEnd()) {
                DerReader d = access.sequence();
                byte[] method = d.read(0x06);
                if (Arrays.equals(method, OCSP_METHOD) && !d.atEnd() && d.peekTag() == 0x86) {
                    String url = new String(d.read(0x86), StandardCharsets.US_ASCII);
                    if (url.startsWith("http://")) {
                        return Optional.of(url);
                    }
                }
            }
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The first http URL of {@code cert}'s CRL distribution points. */
    static Optional<String> crlUrl(X509Certificate cert) {
        byte[] ext = Extensions.value(cert, CRL_DISTRIBUTION_POINTS);
        if (ext == null) {
            return Optional.empty();
        }
        try {
            DerReader points = new DerReader(new DerReader(ext).read(0x04)).sequence();
            while (!points.atEnd()) {
                DerReader point = points.sequence();
                if (point.atEnd() || point.peekTag() != 0xa0) {
                    continue;
                }
                DerReader name = point.constructed(0xa0);
                if (name.atEnd() || name.peekTag() != 0xa0) {
                    continue;
                }
                DerReader full = name.constructed(0xa0);
                while (!full.atEnd()) {
                    if (full.peekTag() == 0x86) {
                        String url = new String(full.read(0x86), StandardCharsets.US_ASCII);
                        if (url.startsWith("http://")) {
                            return Optional.of(url);
                        }
                    } else {
                        full.read(full.peekTag());
                    }
                }
            }
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** An OCSP request (RFC 6960) for {@code leaf}, issued by {@code issuer}, SHA-1 CertID as responders expect. */
    static byte[] ocspRequest(X509Certificate leaf, X509Certificate issuer) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] nameHash = sha1.digest(issuer.getSubjectX500Principal().getEncoded());
            DerReader spki = new DerReader(issuer.getPublicKey().getEncoded()).sequence();
            spki.sequence();
            byte[] bits = spki.read(0x03);
            byte[] keyHash = sha1.digest(Arrays.copyOfRange(bits, 1, bits.length));
            byte[] certId = Der.sequence(Der.sequence(Der.oid("1.3.14.3.2.26"), Der.nul()), Der.octetString(nameHash),
                    Der.octetString(keyHash), Der.integer(leaf.getSerialNumber()));
            return Der.sequence(Der.sequence(Der.sequence(Der.sequence(certId))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM: " + e, e);
        }
    }

    private static byte[] post(String url, byte[] request, long deadlineNanos) throws IOException {
        HttpURLConnection c = open(url, deadlineNanos);
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/ocsp-request");
        c.setRequestProperty("Accept", "application/ocsp-response");
        try (OutputStream out = c.getOutputStream()) {
            out.write(request);
        }
        return body(c);
    }

    private static byte[] get(String url, long deadlineNanos) throws IOException {
        return body(open(url, deadlineNanos));
    }

    private static HttpURLConnection open(String url, long deadlineNanos) throws IOException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new IOException("no time left before the handshake deadline");
        }
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection(java.net.Proxy.NO_PROXY);
        c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, left));
        c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, left));
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        return c;
    }

    private static byte[] body(HttpURLConnection c) throws IOException {
        try {
            int status = c.getResponseCode();
            if (status != 200) {
                throw new IOException("HTTP " + status);
            }
            try (InputStream in = c.getInputStream()) {
                byte[] data = in.readNBytes(MAX_ANSWER + 1);
                if (data.length > MAX_ANSWER) {
                    throw new IOException("an answer over " + MAX_ANSWER + " bytes");
                }
                return data;
            }
        } finally {
            c.disconnect();
        }
    }

    private static Instant crlNextUpdate(byte[] der) {
        try {
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
            return crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    /** The nextUpdate of the first SingleResponse of an OCSP response, or null (then it is not cached). */
    static Instant ocspNextUpdate(byte[] der) {
        try {
            DerReader response = new DerReader(der).sequence();
            response.read(0x0a);
            DerReader bytes = response.constructed(0xa0).sequence();
            bytes.read(0x06);
            DerReader basic = new DerReader(bytes.read(0x04)).sequence();
            DerReader data = basic.sequence();
            if (data.peekTag() == 0xa0) {
                data.read(0xa0);
            }
            data.read(data.peekTag()); // responderID
            data.read(0x18); // producedAt
            DerReader single = data.sequence().sequence();
            single.sequence(); // certID
            single.read(single.peekTag()); // certStatus
            single.read(0x18); // thisUpdate
            if (single.atEnd() || single.peekTag() != 0xa0) {
                return null;
            }
            String time = new String(single.constructed(0xa0).read(0x18), StandardCharsets.US_ASCII);
            return java.time.LocalDateTime.parse(time.substring(0, 14), DateTimeFormatter.ofPattern("yyyyMMddHHmmss"))
                    .toInstant(ZoneOffset.UTC);
        } catch (IllegalArgumentException | java.time.DateTimeException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }
}
