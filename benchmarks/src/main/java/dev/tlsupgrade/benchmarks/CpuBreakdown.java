package dev.tlsupgrade.benchmarks;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where CPU time went, from async-profiler's collapsed stacks ({@code [thread tid=N];frame;...;leaf
 * samples}, one sample per millisecond of CPU): by whose thread (the caller's, the server's, the
 * JVM's own) and by what the nearest recognised frame says it was. A stack whose leaf is in the
 * kernel counts as socket sending, receiving or other kernel work by the system call under it (on
 * loopback the sender's call also delivers to the receiver); otherwise the frames are read from the
 * leaf up and the first that names a category decides, so a copy inside BoringSSL is a copy and a
 * signature check inside core's trust decision is public-key crypto, not core.
 */
final class CpuBreakdown {
    /** Whose thread a sample was taken on. */
    enum Role {
        CALLER, SERVER, JVM, OTHER
    }

    /** What the time was spent on; order is the report's. */
    enum Category {
        AES_GCM("AES-GCM (record encryption)", "(?i)aes|gcm|ghash|GCTR"),
        PUBLIC_KEY("signatures, key exchange, hashes",
                "(?i)montgomery|bn_|BigInteger|ecp_|ec_GFp|x25519|p256|fiat_|ecdsa|rsa_|sha256|sha512|sha1_block|DigestBase"
                        + "|ECOperations|IntegerPolynomial|MutableBigInteger"),
        KERNEL_SEND("kernel: socket send and loopback delivery", null),
        KERNEL_RECEIVE("kernel: socket receive", null),
        KERNEL_OTHER("kernel: connect, accept, close, scheduling", null),
        COPIES("memory copies in user space", "arraycopy|memmove|memcpy|memset"),
        PKIX("certificate path validation (JDK PKIX)",
                "sun/security/provider/certpath|sun/security/validator|sun/security/x509|java/security/cert"),
        CORE_TRUST("tlsupgrade: trust decision", "dev/tlsupgrade/internal/trust"),
        CORE_WIRE("tlsupgrade: wire observation", "dev/tlsupgrade/internal/wire"),
        CORE_OTHER("tlsupgrade: other core code", "dev/tlsupgrade/(?!benchmarks|testing)"),
        TLS_LIBRARY("the TLS library (protocol, engine, JNI)",
                "sun/security/ssl|org/bouncycastle|org/conscrypt|io/netty|SSL_|ssl_|tls1|libconscrypt|tcnative"),
        OTHER("other (JDK, benchmark loop, allocation)", null);

        final String title;
        final Pattern frame;

        Category(String title, String frame) {
            this.title = title;
            this.frame = frame == null ? null : Pattern.compile(frame);
        }
    }

    private static final Pattern SEND = Pattern.compile("sys_write|sys_sendto|sys_sendmsg|sys_writev|tcp_sendmsg");
    private static final Pattern RECEIVE = Pattern.compile("sys_read|sys_recvfrom|sys_recvmsg|tcp_recvmsg");
    private static final Pattern CALLER_THREAD = Pattern.compile("main|DestroyJavaVM|multiThreadIoEventLoopGroup.*");
    private static final Pattern SERVER_THREAD = Pattern.compile("bench-server.*|plain-tcp-reader");
    private static final Pattern JVM_THREAD = Pattern.compile("C[12] CompilerThre.*|GC Thread.*|G1 .*|VM .*");

    private final long[][] samples = new long[Role.values().length][Category.values().length];

    /** Adds every stack of one collapsed dump. */
    CpuBreakdown add(String collapsed) {
        for (String line : collapsed.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (space <= 0 || !line.startsWith("[")) {
                continue;
            }
            long n = Long.parseLong(line.substring(space + 1).trim());
            String[] frames = line.substring(0, space).split(";");
            samples[role(frames[0]).ordinal()][category(frames).ordinal()] += n;
        }
        return this;
    }

    static Role role(String threadFrame) {
        String name = threadFrame.substring(1, threadFrame.length() - 1).replaceAll(" tid=\\d+$", "");
        if (CALLER_THREAD.matcher(name).matches()) {
            return Role.CALLER;
        }
        if (SERVER_THREAD.matcher(name).matches()) {
            return Role.SERVER;
        }
        return JVM_THREAD.matcher(name).matches() ? Role.JVM : Role.OTHER;
    }

    static Category category(String[] frames) {
        if (frames[frames.length - 1].endsWith("_[k]")) {
            String stack = String.join(";", frames);
            return SEND.matcher(stack).find() ? Category.KERNEL_SEND
                    : RECEIVE.matcher(stack).find() ? Category.KERNEL_RECEIVE : Category.KERNEL_OTHER;
        }
        for (int i = frames.length - 1; i > 0; i--) {
            for (Category c : Category.values()) {
                if (c.frame != null && c.frame.matcher(frames[i]).find()) {
                    return c;
                }
            }
        }
        return Category.OTHER;
    }

    long samples(Role role, Category category) {
        return samples[role.ordinal()][category.ordinal()];
    }

    long total(Role role) {
        long sum = 0;
        for (long s : samples[role.ordinal()]) {
            sum += s;
        }
        return sum;
    }

    /**
     * A Markdown table of CPU milliseconds per {@code unit} on the caller's thread, and the server's
     * if {@code withServer}, for two paths that did {@code unitsA} and {@code unitsB} of the work while profiled.
     */
    static String table(String nameA, CpuBreakdown a, double unitsA, String nameB, CpuBreakdown b, double unitsB, String unit,
            boolean withServer) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "| CPU ms per %s | %s, caller | %s, caller |", unit,
                nameA, nameB));
        sb.append(withServer ? String.format(Locale.ROOT, " %s, server | %s, server |%n|---|---|---|---|---|%n", nameA, nameB)
                : String.format("%n|---|---|---|%n"));
        for (Category c : Category.values()) {
            long sum = a.samples(Role.CALLER, c) + b.samples(Role.CALLER, c)
                    + (withServer ? a.samples(Role.SERVER, c) + b.samples(Role.SERVER, c) : 0);
            if (sum == 0) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f |", c.title, a.samples(Role.CALLER, c) / unitsA,
                    b.samples(Role.CALLER, c) / unitsB));
            sb.append(withServer ? String.format(Locale.ROOT, " %.2f | %.2f |%n", a.samples(Role.SERVER, c) / unitsA,
                    b.samples(Role.SERVER, c) / unitsB) : String.format("%n"));
        }
        sb.append(String.format(Locale.ROOT, "| **all** | **%.2f** | **%.2f** |", a.total(Role.CALLER) / unitsA,
                b.total(Role.CALLER) / unitsB));
        sb.append(withServer ? String.format(Locale.ROOT, " **%.2f** | **%.2f** |%n", a.total(Role.SERVER) / unitsA,
                b.total(Role.SERVER) / unitsB) : String.format("%n"));
        sb.append(String.format(Locale.ROOT, "| JIT and GC threads | %.2f | %.2f |%s%n", a.total(Role.JVM) / unitsA,
                b.total(Role.JVM) / unitsB, withServer ? " | |" : ""));
        return sb.toString();
    }
}
