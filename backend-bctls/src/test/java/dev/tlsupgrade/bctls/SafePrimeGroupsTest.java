package dev.tlsupgrade.bctls;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.tls.crypto.DHGroup;
import org.bouncycastle.tls.crypto.DHStandardGroups;
import org.junit.jupiter.api.Test;

class SafePrimeGroupsTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A group a server generated itself (openssl dhparam): p = 2q + 1 with q prime. */
    private static BigInteger safePrime(int bits) {
        while (true) {
            BigInteger q = BigInteger.probablePrime(bits - 1, RANDOM);
            BigInteger p = q.shiftLeft(1).add(BigInteger.ONE);
            if (p.isProbablePrime(80)) {
                return p;
            }
        }
    }

    @Test
    void aGeneratedSafePrimeGroupIsAcceptedAndOtherNumbersAreNot() {
        SafePrimeGroups verifier = new SafePrimeGroups(160);
        BigInteger p = safePrime(192);
        assertThat(verifier.accept(new DHGroup(p, null, BigInteger.TWO, 0))).isTrue();
        BigInteger prime = BigInteger.probablePrime(192, RANDOM);
        boolean alsoSafe = prime.shiftRight(1).isProbablePrime(80);
        assertThat(verifier.accept(new DHGroup(prime, null, BigInteger.TWO, 0))).isEqualTo(alsoSafe);
        assertThat(verifier.accept(new DHGroup(p.add(BigInteger.TWO), null, BigInteger.TWO, 0))).as("not prime").isFalse();
        assertThat(verifier.accept(new DHGroup(p, null, BigInteger.ONE, 0))).as("generator 1").isFalse();
        assertThat(verifier.accept(new DHGroup(p, null, p.subtract(BigInteger.ONE), 0))).as("generator p-1").isFalse();
    }

    @Test
    void theSizeRuleComesFirst() {
        assertThat(new SafePrimeGroups(2048).accept(DHStandardGroups.rfc2409_1024)).isFalse();
        assertThat(new SafePrimeGroups(1024).accept(DHStandardGroups.rfc2409_1024)).isTrue();
        assertThat(new SafePrimeGroups(2048).accept(DHStandardGroups.rfc7919_ffdhe2048)).isTrue();
        assertThat(new SafePrimeGroups(1024).accept(new DHGroup(safePrime(512), null, BigInteger.TWO, 0))).isFalse();
    }
}
