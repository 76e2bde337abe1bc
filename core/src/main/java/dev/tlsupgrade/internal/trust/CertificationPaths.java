package dev.tlsupgrade.internal.trust;

import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * The certification paths the certificates a server sent can make, leaf first, each ending with a
 * trust anchor: the path the JDK's validator takes for a chain sent in order, and every path
 * through the certificates in any order, as TLS 1.3 lets servers send them (extra certificates,
 * cross-signs, a bridge CA). Core's rules judge a path, never the list as sent: a certificate that
 * is on no path the server's chain can make decides nothing, and a path a rule refuses gives way to
 * another one the platform also validates. Links are made by name and key identifiers only; the
 * platform's validator verifies the signatures of a path before it is used.
 */
final class CertificationPaths {
    /** The most certificates a path may hold, its anchor included. */
    static final int MAX_LENGTH = 10;
    /** The most paths one chain may offer; a chain that makes more is a puzzle, not a server's chain. */
    static final int MAX_PATHS = 32;
    /** The most partial paths explored for one chain. */
    private static final int MAX_STEPS = 4_096;

    private CertificationPaths() {
    }

    /**
     * The path the JDK's validator takes without building one, for a chain in order: up to the first
     * certificate that is an anchor (the same certificate, or one with an anchor's name and key), or
     * the whole chain and the anchor whose key signed its last certificate. Null when the chain is not
     * in order or reaches no anchor that way.
     */
    static X509Certificate[] ordered(X509Certificate[] chain, X509Certificate[] anchors) {
        for (int i = 0; i < chain.length; i++) {
            if (i > 0 && !chain[i].getSubjectX500Principal().equals(chain[i - 1].getIssuerX500Principal())) {
                return null;
            }
            X509Certificate anchor = anchorMatching(chain[i], Arrays.asList(anchors));
            if (anchor != null) {
                X509Certificate[] path = Arrays.copyOf(chain, i + 1);
                path[i] = anchor;
                return path;
            }
        }
        X509Certificate last = chain[chain.length - 1];
        for (X509Certificate a : anchors) {
            if (a.getSubjectX500Principal().equals(last.getIssuerX500Principal()) && CertificateVerifier.signedBy(last, a)) {
                X509Certificate[] path = Arrays.copyOf(chain, chain.length + 1);
                path[chain.length] = a;
                return path;
            }
        }
        return null;
    }

    /**
     * Every path from {@code chain[0]} to an anchor through the other certificates of {@code chain}
     * in any order, shortest first, at most {@link #MAX_PATHS}; no certificate twice in a path.
     */
    static List<X509Certificate[]> all(X509Certificate[] chain, X509Certificate[] anchors) {
        // By subject, once: a chain of many certificates against a store of many anchors stays a lookup a step.
        Map<X500Principal, List<X509Certificate>> anchorsBySubject = bySubject(Arrays.asList(anchors));
        Map<X500Principal, List<X509Certificate>> sentBySubject = bySubject(Arrays.asList(chain).subList(1, chain.length));
        List<X509Certificate[]> paths = new ArrayList<>();
        Deque<List<X509Certificate>> partial = new ArrayDeque<>();
        partial.add(List.of(chain[0]));
        int steps = 0;
        while (!partial.isEmpty() && paths.size() < MAX_PATHS && steps++ < MAX_STEPS) {
            List<X509Certificate> p = partial.poll();
            X509Certificate last = p.get(p.size() - 1);
            X509Certificate same = anchorMatching(last, anchorsBySubject.getOrDefault(last.getSubjectX500Principal(),
                    List.of()));
            if (same != null) {
                List<X509Certificate> done = new ArrayList<>(p);
                done.set(done.size() - 1, same);
                paths.add(done.toArray(new X509Certificate[0]));
                continue;
            }
            if (p.size() >= MAX_LENGTH) {
                continue;
            }
            X500Principal issuer = last.getIssuerX500Principal();
            for (X509Certificate a : anchorsBySubject.getOrDefault(issuer, List.of())) {
                if (mayHaveIssued(a, last)) {
                    List<X509Certificate> done = new ArrayList<>(p);
                    done.add(a);
                    paths.add(done.toArray(new X509Certificate[0]));
                }
            }
            for (X509Certificate next : sentBySubject.getOrDefault(issuer, List.of())) {
                if (mayHaveIssued(next, last) && p.stream().noneMatch(c -> sameCertificateOrKey(c, next))) {
                    List<X509Certificate> longer = new ArrayList<>(p);
                    longer.add(next);
                    partial.add(longer);
                }
            }
        }
        return paths.size() > MAX_PATHS ? paths.subList(0, MAX_PATHS) : paths;
    }

    private static Map<X500Principal, List<X509Certificate>> bySubject(List<X509Certificate> certificates) {
        Map<X500Principal, List<X509Certificate>> map = new HashMap<>();
        for (X509Certificate c : certificates) {
            map.computeIfAbsent(c.getSubjectX500Principal(), k -> new ArrayList<>()).add(c);
        }
        return map;
    }

    /** The anchor {@code c} is (the same certificate, or an anchor's name and key), or null. */
    private static X509Certificate anchorMatching(X509Certificate c, Iterable<X509Certificate> anchors) {
        for (X509Certificate a : anchors) {
            if (a.equals(c) || a.getSubjectX500Principal().equals(c.getSubjectX500Principal())
                    && a.getPublicKey().equals(c.getPublicKey())) {
                return a;
            }
        }
        return null;
    }

    /** Whether {@code issuer}'s name, and its key identifier where both carry one, fit {@code c}'s issuer. */
    private static boolean mayHaveIssued(X509Certificate issuer, X509Certificate c) {
        if (!issuer.getSubjectX500Principal().equals(c.getIssuerX500Principal()) || issuer.equals(c)) {
            return false;
        }
        byte[] authority = KeyIdentifiers.authority(c);
        byte[] subject = KeyIdentifiers.subject(issuer);
        return authority == null || subject == null || Arrays.equals(authority, subject);
    }

    /** A CA met again on one path, as itself or re-issued with its key: the path would go round in a circle. */
    private static boolean sameCertificateOrKey(X509Certificate a, X509Certificate b) {
        return a.equals(b) || a.getSubjectX500Principal().equals(b.getSubjectX500Principal())
                && a.getPublicKey().equals(b.getPublicKey());
    }
}
