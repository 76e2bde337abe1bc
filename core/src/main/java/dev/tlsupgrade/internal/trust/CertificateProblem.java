package dev.tlsupgrade.internal.trust;

import dev.tlsupgrade.FailureKind;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate check that failed, with what a user needs to fix it: the kind, which certificate of
 * the chain (0 is the server's own), its subject, and a hint. Core's trust manager throws it; every
 * provider keeps it as the cause of its own exception, so the explanation survives any backend.
 */
public final class CertificateProblem extends CertificateException {
    private static final long serialVersionUID = 1L;

    private final FailureKind kind;
    private final int index;
    private final String subject;
    private final String hint;
    private volatile List<X509Certificate> presented = List.of();

    public CertificateProblem(FailureKind kind, int index, String subject, String message, String hint, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.index = index;
        this.subject = subject;
        this.hint = hint;
    }

    public FailureKind kind() {
        return kind;
    }

    /** Index in the chain of the certificate at fault (0 = the server's), or -1 when none is singled out. */
    public int index() {
        return index;
    }

    /** Subject of the certificate at fault, or null. */
    public String subject() {
        return subject;
    }

    public String hint() {
        return hint;
    }

    /** The chain the server presented, leaf first (set by the verifier before the problem leaves it). */
    public List<X509Certificate> presented() {
        return presented;
    }

    void presented(X509Certificate[] chain) {
        this.presented = List.of(chain);
    }
}
