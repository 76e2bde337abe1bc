package dev.tlsupgrade;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether the server is the one a connection wants, in place of the host name rule, for
 * protocols that name servers otherwise: a SPIFFE ID in a URI subjectAltName, a device's serial
 * number, an RDP host's own naming. Set with {@link TlsClientConfig.Builder#serverIdentity}.
 *
 * <p>It runs only after the chain was validated and core's certificate rules passed, so it can
 * refuse a server but never make an untrusted chain trusted. What it returns reaches the
 * {@link FailureKind#HOSTNAME_MISMATCH} message, escaped.
 */
@FunctionalInterface
public interface IdentityCheck {
    /**
     * @param serverName the name the connection was made for (the SNI name or {@code serverName(...)},
     *     or the address connected when there is no name)
     * @param chain the validated chain, leaf first, ending with its trust anchor
     * @return why the server is not the one wanted, or empty when it is
     */
    Optional<String> mismatch(String serverName, List<X509Certificate> chain);

    /**
     * Accepts a leaf whose subjectAltName holds exactly the URI {@code uri}, whatever the host name:
     * for SPIFFE, {@code uriSubjectAltName("spiffe://example.org/ns/prod/sa/db")}.
     */
    static IdentityCheck uriSubjectAltName(String uri) {
        Objects.requireNonNull(uri, "uri");
        return (serverName, chain) -> {
            List<String> uris = uris(chain.get(0));
            return uris.contains(uri) ? Optional.empty()
                    : Optional.of("its URI names are " + (uris.isEmpty() ? "none" : uris) + ", not " + uri);
        };
    }

    private static List<String> uris(X509Certificate leaf) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> names = leaf.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> n : names) {
                    if (Integer.valueOf(6).equals(n.get(0))) {
                        out.add(String.valueOf(n.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        return out;
    }
}
