package dev.tlsupgrade.internal.policy;

import dev.tlsupgrade.TlsClientConfig;
import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.Key;
import java.util.Set;
import javax.crypto.interfaces.DHKey;

/**
 * Core's rule for finite-field Diffie-Hellman groups in DHE key exchange, the same on every backend
 * that speaks DHE: 2048 bits or more, or 1024 or more with
 * {@link TlsClientConfig.Builder#allowLegacyDhGroups()}. The JDK alone admits 1024 and Bouncy Castle
 * alone 2048, so neither provider's default is the policy.
 */
public final class DhGroupPolicy {
    public static final int MINIMUM_BITS = 2048;
    public static final int LEGACY_MINIMUM_BITS = 1024;

    private DhGroupPolicy() {
    }

    /** The smallest group {@code config} admits, in bits. */
    public static int minimumBits(TlsClientConfig config) {
        return config.legacyDhGroupsAllowed() ? LEGACY_MINIMUM_BITS : MINIMUM_BITS;
    }

    /**
     * Constraints for a JSSE-style provider's {@code SSLParameters}: they refuse the server's DH key when
     * its group is smaller than {@link #minimumBits}; the provider's own constraints still apply too.
     */
    public static AlgorithmConstraints constraints(TlsClientConfig config) {
        int minimum = minimumBits(config);
        return new AlgorithmConstraints() {
            @Override
            public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, AlgorithmParameters parameters) {
                return true;
            }

            @Override
            public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
                return !(key instanceof DHKey dh) || dh.getParams().getP().bitLength() >= minimum;
            }

            @Override
            public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, Key key, AlgorithmParameters parameters) {
                return permits(primitives, key);
            }
        };
    }
}
