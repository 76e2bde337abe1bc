package dev.tlsupgrade;

import dev.tlsupgrade.internal.wire.WireFacts;
import dev.tlsupgrade.preamble.Preamble;
import java.io.IOException;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reaches a fleet of mixed servers without knowing each one: it owns the dial, the preamble and the
 * upgrade, so that when a server shows version or extension intolerance it can retry on a fresh
 * connection with the next rung: a lower maximum version carrying RFC 7507's fallback signal, then
 * the next backend of the list the user gave. It remembers per host and port what worked (bounded,
 * with an expiry) and logs a WARN the first time a host goes below TLS 1.2.
 *
 * <p>It cannot be steered: it falls back only on clean evidence of intolerance (the server hung up
 * or refused our ClientHello before any ServerHello, or chose a version we did not offer), or moves
 * to the next backend when this one cannot do what core decided (BoringSSL's own key-usage rule
 * against a pinned RDP key); never after a certificate failure, a timeout once the server
 * answered, or corrupted data; and every
 * lowered attempt carries the fallback signal, so a modern server behind a downgrade middlebox
 * refuses it ({@code inappropriate_fallback}) and the connector stops. A backend that cannot send the
 * signal (jsse) is never lowered; legacy versions are tried only after {@link Builder#allowLegacyFallback()}.
 */
public final class FallbackConnector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackConnector.class);

    private final TlsClientConfig config;
    private final List<TlsBackend> backends;
    private final Preamble preamble;
    private final boolean legacy;
    private final int memorySize;
    private final Duration memoryExpiry;
    private final Clock clock;
    private final List<Rung> rungs;
    private final Map<String, Remembered> memory;
    private final Map<Rung, TlsUpgrader> upgraders = new ConcurrentHashMap<>();

    /** One way in: a backend and the versions to offer, with or without the fallback signal. */
    private record Rung(TlsBackend backend, Set<TlsVersion> versions, boolean fallback) {
        boolean legacy() {
            return versions.stream().anyMatch(TlsVersion::isLegacy);
        }

        @Override
        public String toString() {
            return backend.name() + " " + versions + (fallback ? " (fallback signal)" : "");
        }
    }

    private record Remembered(int rung, Instant until) {
    }

    private FallbackConnector(Builder b) {
        this.config = b.config;
        this.backends = List.copyOf(b.backends);
        this.preamble = b.preamble;
        this.legacy = b.legacy;
        this.memorySize = b.memorySize;
        this.memoryExpiry = b.memoryExpiry;
        this.clock = b.clock;
        this.rungs = rungs();
        this.memory = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
                return size() > memorySize;
            }
        };
    }

    /** A connector for servers reached with {@code config} first, falling back from there. */
    public static Builder builder(TlsClientConfig config) {
        return new Builder(config);
    }

    /**
     * The ladder: per backend, the config's versions that backend can offer; then, where it can send the
     * fallback signal, each lower maximum version: the config's versions up to it, and below the
     * config's oldest only with legacy fallback (down to TLS 1.0).
     */
    private List<Rung> rungs() {
        List<Rung> out = new ArrayList<>();
        for (TlsBackend backend : backends) {
            Capabilities caps = backend.capabilities();
            EnumSet<TlsVersion> offered = EnumSet.noneOf(TlsVersion.class);
            config.protocols().stream().filter(caps::supports).forEach(offered::add);
            if (offered.isEmpty()) {
                continue;
            }
            out.add(new Rung(backend, EnumSet.copyOf(offered), config.fallbackSignal()));
            if (!caps.has(TlsFeature.FALLBACK_SCSV)) {
                continue;
            }
            TlsVersion oldest = offered.iterator().next();
            for (int m = offered.stream().max(Enum::compareTo).orElseThrow().ordinal() - 1; m >= 0; m--) {
                TlsVersion max = TlsVersion.values()[m];
                EnumSet<TlsVersion> lower = EnumSet.noneOf(TlsVersion.class);
                for (TlsVersion v : TlsVersion.values()) {
                    boolean allowed = offered.contains(v) || v.compareTo(oldest) < 0 && legacy && caps.supports(v);
                    if (v.compareTo(max) <= 0 && allowed) {
                        lower.add(v);
                    }
                }
                if (lower.contains(max)) {
                    out.add(new Rung(backend, lower, true));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("none of the backends " + backends + " can offer " + config.protocols());
        }
        return out;
    }

    /**
     * Dials {@code host:port} (every address, IPv6 first), runs the preamble and upgrades, falling back
     * on evidence of intolerance as the class says.
     *
     * @throws TlsUpgradeException the refusal that stopped the ladder, or the last rung's failure when no
     *     rung reached the server; the earlier rungs' failures are its suppressed exceptions
     * @throws IOException when the connection itself cannot be made
     */
    public SSLSocket connect(String host, int port) throws IOException {
        String key = host + ":" + port;
        List<TlsUpgradeException> failures = new ArrayList<>();
        for (int i = remembered(key); i < rungs.size(); i++) {
            Rung rung = rungs.get(i);
            Socket plain = Dialer.connect(host, port, config.handshakeTimeout()).socket();
            try {
                preamble.negotiate(plain, config.handshakeTimeout());
                SSLSocket tls = upgrader(rung).upgrade(plain, host, port);
                remember(key, i, rung);
                return tls;
            } catch (TlsUpgradeException e) {
                closeQuietly(plain);
                failures.forEach(e::addSuppressed);
                if (e.backendLimit()) {
                    // This backend cannot do what core decided (BoringSSL's own key-usage rule): the next backend may.
                    i = firstRungAfter(rung.backend(), i);
                } else if (!intolerance(e)) {
                    forget(key);
                    throw e;
                }
                failures.add(e);
                LOG.debug("{}: {} failed ({}: {}); trying the next rung", key, rung, e.kind(), e.reason());
            } catch (IOException | RuntimeException e) {
                closeQuietly(plain);
                throw e;
            }
        }
        forget(key);
        TlsUpgradeException last = failures.get(failures.size() - 1);
        throw last;
    }

    /** The index before the first rung of the backend after {@code backend}, so that the loop's next step reaches it. */
    private int firstRungAfter(TlsBackend backend, int from) {
        int i = from;
        while (i + 1 < rungs.size() && rungs.get(i + 1).backend() == backend) {
            i++;
        }
        return i;
    }

    /**
     * Whether {@code e} is clean evidence that a lower version or another backend may work: the server
     * refused or dropped our ClientHello before any ServerHello, chose a version we did not offer, or
     * let a ClientHello of the size some front ends swallow go unanswered.
     */
    private static boolean intolerance(TlsUpgradeException e) {
        WireFacts wire = e.evidence();
        if (wire == null || e.reason().contains("inappropriate_fallback")) {
            return false;
        }
        switch (e.kind()) {
            case PROTOCOL_VERSION:
                return true;
            case PEER_CLOSED:
            case PEER_RESET:
            case NO_SHARED_CIPHER:
            case ALERT:
                return !wire.serverHelloSeen();
            case TIMEOUT:
                int hello = wire.clientHelloSize() - 5;
                return !wire.anyReceived() && hello >= 256 && hello < 512;
            default:
                return false;
        }
    }

    /**
     * What worked last for {@code host:port} and is still remembered: the backend and versions, for
     * example {@code "openssl [TLSv1] (fallback signal)"}; empty when nothing is remembered.
     */
    public synchronized java.util.Optional<String> remembered(String host, int port) {
        String key = host + ":" + port;
        Remembered r = memory.get(key);
        return r == null || clock.instant().isAfter(r.until()) ? java.util.Optional.empty()
                : java.util.Optional.of(rungs.get(r.rung()).toString());
    }

    private synchronized int remembered(String key) {
        Remembered r = memory.get(key);
        if (r == null || clock.instant().isAfter(r.until())) {
            memory.remove(key);
            return 0;
        }
        return r.rung();
    }

    private synchronized void remember(String key, int index, Rung rung) {
        Remembered before = memory.put(key, new Remembered(index, clock.instant().plus(memoryExpiry)));
        if (rung.legacy() && (before == null || !rungs.get(before.rung()).legacy())) {
            LOG.warn("{} was reached only with {} through {}: legacy TLS, weak; remembered for {}", key,
                    rung.versions(), rung.backend().name(), memoryExpiry);
        }
    }

    private synchronized void forget(String key) {
        memory.remove(key);
    }

    private TlsUpgrader upgrader(Rung rung) {
        return upgraders.computeIfAbsent(rung, r -> {
            TlsClientConfig.Builder b = config.toBuilder().protocols(r.versions().toArray(new TlsVersion[0]));
            if (r.legacy()) {
                b.allowLegacyProtocols();
            }
            if (r.fallback()) {
                b.fallbackSignal();
            }
            return r.backend().newUpgrader(b.build());
        });
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // the attempt is over
        }
    }

    /** Closes the upgraders of every rung used. */
    @Override
    public void close() {
        upgraders.values().forEach(TlsUpgrader::close);
        upgraders.clear();
    }

    /** Settings of a {@link FallbackConnector}. */
    public static final class Builder {
        private final TlsClientConfig config;
        private final List<TlsBackend> backends = new ArrayList<>();
        private Preamble preamble = Preamble.none();
        private boolean legacy;
        private int memorySize = 1024;
        private Duration memoryExpiry = Duration.ofHours(1);
        private Clock clock = Clock.systemUTC();

        private Builder(TlsClientConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** The backends to try, in order (default: {@link TlsBackends#defaultBackend()} alone). */
        public Builder backends(String... names) {
            backends.clear();
            for (String n : names) {
                backends.add(TlsBackends.get(n));
            }
            return this;
        }

        /** The plaintext part before TLS, run on every fresh connection (default: none). */
        public Builder preamble(Preamble p) {
            this.preamble = Objects.requireNonNull(p, "preamble");
            return this;
        }

        /**
         * Lets the ladder go below TLS 1.2, to TLS 1.1 and 1.0, on backends that speak them per connection
         * and can send the fallback signal. Weak: for fleets with old servers; each host that needs it is
         * logged once at WARN.
         */
        public Builder allowLegacyFallback() {
            this.legacy = true;
            return this;
        }

        /** How many hosts to remember and for how long (default 1024 hosts, one hour). */
        public Builder memory(int hosts, Duration expiry) {
            if (hosts < 1 || expiry.isNegative() || expiry.isZero()) {
                throw new IllegalArgumentException("memory needs at least one host and a positive expiry: " + hosts
                        + ", " + expiry);
            }
            this.memorySize = hosts;
            this.memoryExpiry = expiry;
            return this;
        }

        /** The clock the memory's expiry reads (for tests). */
        Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        public FallbackConnector build() {
            if (backends.isEmpty()) {
                backends.add(TlsBackends.defaultBackend());
            }
            return new FallbackConnector(this);
        }
    }
}
