package dev.tlsupgrade.bctls;

import java.math.BigInteger;
import java.util.Vector;
import org.bouncycastle.tls.DefaultTlsDHGroupVerifier;
import org.bouncycastle.tls.crypto.DHGroup;
import org.bouncycastle.tls.crypto.DHStandardGroups;

/**
 * Which finite-field DH groups a server may choose: core's size rule ({@code DhGroupPolicy}), and
 * either a published group or one Bouncy Castle can check is a safe prime with a sane generator.
 * Bouncy Castle alone accepts only the published groups of 2048 bits or more, so the servers that
 * generated their own group with {@code openssl dhparam} (most DHE servers) were unreachable.
 */
final class SafePrimeGroups extends DefaultTlsDHGroupVerifier {
    private static final int CERTAINTY = 80;

    SafePrimeGroups(int minimumBits) {
        super(published(), minimumBits);
    }

    private static Vector<DHGroup> published() {
        Vector<DHGroup> groups = new Vector<>();
        for (DHGroup g : new DHGroup[] {DHStandardGroups.rfc2409_1024, DHStandardGroups.rfc3526_1536,
                DHStandardGroups.rfc3526_2048, DHStandardGroups.rfc3526_3072, DHStandardGroups.rfc3526_4096,
                DHStandardGroups.rfc3526_6144, DHStandardGroups.rfc3526_8192, DHStandardGroups.rfc7919_ffdhe2048,
                DHStandardGroups.rfc7919_ffdhe3072, DHStandardGroups.rfc7919_ffdhe4096, DHStandardGroups.rfc7919_ffdhe6144,
                DHStandardGroups.rfc7919_ffdhe8192}) {
            groups.add(g);
        }
        return groups;
    }

    @Override
    protected boolean checkGroup(DHGroup group) {
        return super.checkGroup(group) || safePrime(group.getP(), group.getG());
    }

    private static boolean safePrime(BigInteger p, BigInteger g) {
        BigInteger two = BigInteger.TWO;
        return p.testBit(0) && g.compareTo(two) >= 0 && g.compareTo(p.subtract(two)) <= 0
                && p.isProbablePrime(CERTAINTY) && p.shiftRight(1).isProbablePrime(CERTAINTY);
    }
}
