package dev.tlsupgrade.probe;

import dev.tlsupgrade.Capabilities;
import dev.tlsupgrade.TlsBackend;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsFeature;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.VersionSupport;
import dev.tlsupgrade.internal.policy.HostName;
import dev.tlsupgrade.preamble.Preamble;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * Answers "which backend and settings reach this server?": for every available backend and every
 * TLS version it can offer, a fresh connection, the protocol's preamble, and a handshake offering
 * only that version; then a {@link ProbeReport} with a recommendation. Legacy versions are tried
 * (this is a probe); versions a backend cannot do, or only after a JVM-wide opt-in, are reported
 * without connecting. Attempts run in parallel with a bound, and the whole probe has a deadline.
 *
 * <p>An attempt below a backend's newest version carries RFC 7507's fallback signal where the
 * backend can send it ({@link TlsFeature#FALLBACK_SCSV}): a server that supports a newer version
 * refuses it, and the row says so, so that a middlebox breaking the newer attempts cannot make the
 * probe recommend an older version.
 */
public final class TlsProbe {
    private final String host;
    private final int port;
    private final Preamble preamble;
    private final TlsClientConfig base;
    private final Duration attemptTimeout;
    private final Duration deadline;
    private final int parallelism;
    private final List<String> snippetSettings;
    private final java.util.function.Consumer<ProbeResult> onResult;
    private final List<java.net.InetAddress> given;
    private final boolean jvmWideOptIns;
    private final List<String> childSettings;

    private TlsProbe(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.preamble = b.preamble;
        this.base = b.base;
        this.snippetSettings = List.copyOf(b.snippetSettings);
        this.onResult = b.onResult;
        this.given = List.copyOf(b.addresses);
        this.attemptTimeout = b.attemptTimeout;
        this.deadline = b.deadline;
        this.parallelism = b.parallelism;
        this.jvmWideOptIns = b.jvmWideOptIns;
        this.childSettings = b.configGiven ? null : List.copyOf(b.childSettings);
    }

    /** A probe of {@code host:port}; the host is checked as {@code upgrade} checks it. */
    public static Builder of(String host, int port) {
        return new Builder(host, port);
    }

    /**
     * Runs every attempt and returns the report, rows in backend order, then version. A name that
     * resolves to several addresses (IPv6 and IPv4, say) gets every attempt on each address, IPv6
     * first, each row saying which address it came from.
     */
    public ProbeReport run() throws InterruptedException {
        List<java.net.InetAddress> addresses = given;
        if (addresses.isEmpty()) {
            try {
                addresses = dev.tlsupgrade.Dialer.addresses(host);
            } catch (IOException unresolved) {
                addresses = List.of(); // each attempt says "unknown host"
            }
        }
        List<ProbeResult> all = new ArrayList<>();
        if (addresses.size() <= 1) {
            all.addAll(matrix(null));
        } else {
            for (java.net.InetAddress a : addresses) {
                all.addAll(matrix(a));
            }
        }
        if (all.stream().noneMatch(ProbeResult::ok)) {
            java.net.InetAddress first = addresses.size() <= 1 ? null : addresses.get(0);
            all.addAll(ladder(first, all));
            // A JVM-wide change is the last resort, and no help to a server reached but not trusted.
            if (jvmWideOptIns && all.stream().noneMatch(r -> r.ok() || r.reached())) {
                all.addAll(afterOptIns(first));
            }
        }
        all = withFallbackHintsWhereNewerFailed(all);
        all = withoutLegacyAdviceIfNewerIsSupported(all);
        all = withoutLegacyAdviceIfAModernVersionWorked(all);
        List<String> settings = new ArrayList<>(snippetSettings);
        if (!attemptTimeout.equals(Duration.ofSeconds(10))) {
            settings.add(".handshakeTimeout(Duration.ofMillis(" + attemptTimeout.toMillis() + "))");
        }
        return new ProbeReport(host + ":" + port, preamble.name(), all, settings);
    }

    /** The failure of a row whose fallback signal the server refused; the table shows such a row as "newer". */
    static final String REFUSED_FALLBACK = "supports a newer version: it refused this fallback (inappropriate_fallback)";

    /**
     * When the server refused a fallback, it supports a newer version than the fallback offered: a
     * newer attempt that failed did not fail for want of an old version, so no row advises one.
     */
    private static List<ProbeResult> withoutLegacyAdviceIfNewerIsSupported(List<ProbeResult> results) {
        if (results.stream().noneMatch(r -> REFUSED_FALLBACK.equals(r.failure()))) {
            return results;
        }
        List<ProbeResult> out = new ArrayList<>();
        for (ProbeResult r : results) {
            boolean legacyAdvice = r.hint() != null && r.hint().contains("allowLegacyProtocols");
            out.add(!legacyAdvice ? r : new ProbeResult(r.backend(), r.version(), r.ok(), r.reached(), r.cipherSuite(),
                    r.handshakeMillis(), r.failure(), "the server supports newer versions (it refused this probe's "
                    + "fallbacks), so this attempt failed for another reason: something between here and the server "
                    + "may interfere with newer ClientHellos (a middlebox); do not fall back to an older version",
                    r.chain(), r.address(), r.concession(), r.usedConfig().orElse(null)));
        }
        return out;
    }

    /**
     * A refused fallback says the server has a newer version; when that backend's newer attempt also
     * failed, the row says where to look. Where the newer attempt worked, nothing needs saying.
     */
    private static List<ProbeResult> withFallbackHintsWhereNewerFailed(List<ProbeResult> results) {
        List<ProbeResult> out = new ArrayList<>();
        for (ProbeResult r : results) {
            boolean newerWorked = results.stream().anyMatch(o -> o.ok() && o.backend().equals(r.backend())
                    && TlsVersion.fromJsseName(o.version()).orElseThrow().compareTo(TlsVersion.fromJsseName(r.version())
                            .orElseThrow()) > 0);
            out.add(!REFUSED_FALLBACK.equals(r.failure()) || newerWorked ? r : new ProbeResult(r.backend(), r.version(),
                    false, false, null, -1, r.failure(), "its newer attempt failed for another reason than version "
                    + "support (interference between here and the server?)", r.chain(), r.address(), r.concession(),
                    r.usedConfig().orElse(null)));
        }
        return out;
    }

    /**
     * When TLS 1.2 or 1.3 worked, a failed attempt's advice to offer legacy versions is wrong (a TLS
     * 1.3-intolerant server fails the 1.3 attempt and works at 1.2): such hints point at what worked.
     */
    private static List<ProbeResult> withoutLegacyAdviceIfAModernVersionWorked(List<ProbeResult> results) {
        java.util.Optional<ProbeResult> modern = results.stream().filter(ProbeResult::ok)
                .filter(r -> TlsVersion.fromJsseName(r.version()).filter(v -> !v.isLegacy()).isPresent()).findFirst();
        if (modern.isEmpty()) {
            return results;
        }
        List<ProbeResult> out = new ArrayList<>();
        for (ProbeResult r : results) {
            boolean legacyAdvice = !r.ok() && r.hint() != null && r.hint().contains("allowLegacyProtocols");
            out.add(!legacyAdvice ? r : new ProbeResult(r.backend(), r.version(), r.ok(), r.reached(), r.cipherSuite(),
                    r.handshakeMillis(), r.failure(), modern.get().backend() + " " + modern.get().version() + " worked (see "
                    + "the recommendation): this attempt did not fail for want of an older version", r.chain(),
                    r.address(), r.concession(), r.usedConfig().orElse(null)));
        }
        return out;
    }

    /** Every backend and version against {@code address} (null: the host name as the JDK resolves it). */
    private List<ProbeResult> matrix(java.net.InetAddress address) throws InterruptedException {
        List<TlsBackend> backends = new ArrayList<>();
        List<TlsVersion> versions = new ArrayList<>();
        List<Callable<ProbeResult>> tasks = new ArrayList<>();
        ProbeResult[] results = new ProbeResult[TlsBackends.available().size() * TlsVersion.values().length];
        int slot = 0;
        for (TlsBackend backend : TlsBackends.available()) {
            Capabilities caps = backend.capabilities();
            for (TlsVersion v : TlsVersion.values()) {
                VersionSupport s = caps.versionSupport(v);
                if (s == VersionSupport.SUPPORTED) {
                    backends.add(backend);
                    versions.add(v);
                    // An attempt below the backend's newest version is a fallback: say so (RFC 7507), so that a server
                    // that can do better refuses it, and interference with newer attempts cannot earn a weak advice.
                    boolean fallback = fallback(caps, v);
                    tasks.add(() -> {
                        ProbeResult r = attempt(backend, v, address, fallback);
                        onResult.accept(r);
                        return r;
                    });
                } else {
                    results[slot] = failed(backend, v, address, s == VersionSupport.UNSUPPORTED
                            ? "not tried: " + backend.name() + " cannot offer " + v
                            : "not tried: needs the JVM-wide opt-in " + caps.globalOptIn().orElse("?"), null);
                }
                slot++;
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "tlsupgrade-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ProbeResult>> futures = pool.invokeAll(tasks, deadline.toMillis(), TimeUnit.MILLISECONDS);
            for (int i = 0; i < futures.size(); i++) {
                TlsBackend backend = backends.get(i);
                TlsVersion v = versions.get(i);
                int index = TlsBackends.available().indexOf(backend) * TlsVersion.values().length + v.ordinal();
                try {
                    results[index] = futures.get(i).get();
                } catch (CancellationException notFinished) {
                    results[index] = failed(backend, v, address, "not finished before the probe's deadline of "
                            + deadline.toSeconds() + " s", "raise the deadline, or lower attemptTimeout");
                } catch (ExecutionException e) {
                    results[index] = failed(backend, v, address, String.valueOf(e.getCause()), null);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return List.of(results);
    }

    private ProbeResult attempt(TlsBackend backend, TlsVersion version, java.net.InetAddress address, boolean fallback) {
        return attempt(backend, new Rung(-1, null, List.of(version), fallback, b -> b), address);
    }

    /** One attempt of {@code rung} on {@code backend}; the row is labelled with the rung's newest version. */
    private ProbeResult attempt(TlsBackend backend, Rung rung, java.net.InetAddress address) {
        TlsVersion version = rung.versions().get(rung.versions().size() - 1);
        TlsClientConfig.Builder config = rung.apply().apply(base.toBuilder()
                .protocols(rung.versions().toArray(new TlsVersion[0])).handshakeTimeout(attemptTimeout));
        if (rung.versions().stream().anyMatch(TlsVersion::isLegacy)) {
            config.allowLegacyProtocols();
        }
        // What a user copies: the same settings without the probe's fallback signal, which marks a retry.
        TlsClientConfig used = config.build();
        if (rung.fallback()) {
            config.fallbackSignal();
        }
        ProbeResult r = attemptOnce(backend, config, version, address);
        return new ProbeResult(r.backend(), r.version(), r.ok(), r.reached(), r.cipherSuite(), r.handshakeMillis(),
                r.failure(), r.hint(), r.chain(), r.address(), rung.text(), used);
    }

    private ProbeResult attemptOnce(TlsBackend backend, TlsClientConfig.Builder config, TlsVersion version,
            java.net.InetAddress address) {
        Socket plain = new Socket();
        try (plain; TlsUpgrader upgrader = backend.newUpgrader(config.build())) {
            try {
                plain.setTcpNoDelay(true);
                plain.connect(address == null ? new InetSocketAddress(host, port) : new InetSocketAddress(address, port),
                        (int) attemptTimeout.toMillis());
            } catch (java.net.UnknownHostException e) {
                return failed(backend, version, address, "unknown host: " + host + " does not resolve",
                        "check the host name (and this machine's DNS)");
            } catch (ConnectException e) {
                return failed(backend, version, address, "connection refused: nothing listens on "
                        + (address == null ? host : address.getHostAddress()) + ":" + port,
                        "check the host and port, and that the service runs");
            } catch (SocketTimeoutException e) {
                return failed(backend, version, address, "connection timed out: the port seems filtered",
                        "check firewalls between here and " + host);
            }
            preamble.negotiate(plain, attemptTimeout);
            try (SSLSocket tls = upgrader.upgrade(plain, host, port)) {
                TlsHandshakeInfo info = TlsHandshakeInfo.of(tls).orElseThrow();
                return new ProbeResult(backend.name(), version.jsseName(), true, true, info.cipherSuite(),
                        info.handshakeTime().toMillis(), null, null, info.peerCertificates(), at(plain));
            }
        } catch (TlsUpgradeException e) {
            if (!e.presentedCertificates().isEmpty()) {
                // TLS worked; only the trust decision said no. RDP hosts and devices nearly always get here.
                return new ProbeResult(backend.name(), version.jsseName(), false, true, null, -1,
                        "reached; certificate not trusted: " + e.reason(), e.hint(), e.presentedCertificates(), at(plain));
            }
            if (e.getMessage().contains("inappropriate_fallback")) {
                // The hint is added afterwards, and only where this backend's newer attempt failed.
                return failed(backend, version, address, REFUSED_FALLBACK, null);
            }
            return failed(backend, version, address, e.kind().name(), e.hint());
        } catch (IOException | RuntimeException e) {
            return failed(backend, version, address, String.valueOf(e.getMessage()), null);
        }
    }

    /**
     * The versions a backend offers only after its JVM-wide opt-in, each tried in a JVM of its own
     * (this one stays as it is), one at a time; the rows say which call they needed.
     */
    private List<ProbeResult> afterOptIns(java.net.InetAddress address) {
        List<ProbeResult> rows = new ArrayList<>();
        for (TlsBackend backend : TlsBackends.available()) {
            Capabilities caps = backend.capabilities();
            for (TlsVersion v : TlsVersion.values()) {
                if (caps.versionSupport(v) != VersionSupport.NEEDS_GLOBAL_OPT_IN) {
                    continue;
                }
                String call = caps.globalOptIn().orElse("the JVM-wide opt-in");
                String concession = "TlsBackends.enableJvmWideOptIn(\"" + backend.name() + "\"); // " + call
                        + ": changes the whole JVM, first thing in main";
                ProbeResult r = childAttempt(backend, v, address, concession);
                rows.add(r);
                onResult.accept(r);
            }
        }
        return rows;
    }

    private ProbeResult childAttempt(TlsBackend backend, TlsVersion version, java.net.InetAddress address,
            String concession) {
        String classPath = System.getProperty("java.class.path", "");
        if (childSettings == null || classPath.isEmpty()) {
            return new ProbeResult(backend.name(), version.jsseName(), false, false, null, -1, "not tried in a JVM of its "
                    + "own: " + (childSettings == null ? "the probe was given a config object, whose settings a child "
                    + "JVM cannot take (give them through the probe's own setters)" : "no class path to start it with (the "
                    + "module path?)"), null, null, address == null ? null : address.getHostAddress(), concession, null);
        }
        List<String> cmd = new ArrayList<>(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", classPath, dev.tlsupgrade.internal.OptInAttempt.class.getName(), backend.name(),
                version.jsseName(), host, String.valueOf(port), address == null ? "-" : address.getHostAddress(),
                String.valueOf(attemptTimeout.toMillis()), preamble.name()));
        cmd.addAll(childSettings);
        String line;
        try {
            java.nio.file.Path out = java.nio.file.Files.createTempFile("tlsupgrade-probe", ".out");
            try {
                Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!child.waitFor(attemptTimeout.toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
                    child.destroyForcibly();
                }
                line = java.nio.file.Files.readAllLines(out).stream().filter(l -> l.startsWith("OK ") || l.startsWith("FAILED "))
                        .findFirst().orElse("FAILED the child JVM said nothing usable");
            } finally {
                java.nio.file.Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            line = "FAILED cannot start a child JVM: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            line = "FAILED interrupted";
        }
        String at = address == null ? null : address.getHostAddress();
        if (line.startsWith("OK ")) {
            String[] parts = line.split(" ");
            return new ProbeResult(backend.name(), version.jsseName(), true, true, parts[1], Long.parseLong(parts[2]), null,
                    null, List.of(), at, concession, null);
        }
        String rest = line.substring("FAILED ".length());
        int space = rest.indexOf(' ');
        return new ProbeResult(backend.name(), version.jsseName(), false, false, null, -1,
                space < 0 ? rest : rest.substring(0, space), space < 0 ? null : rest.substring(space + 1), null, at,
                concession, null);
    }

    /**
     * One way in: the versions to offer (oldest first), whether to send the fallback signal, and what
     * else to concede, with its text for the report ({@code null} for a plain attempt). Lower ranks
     * concede less.
     */
    private record Rung(int rank, String text, List<TlsVersion> versions, boolean fallback,
            java.util.function.UnaryOperator<TlsClientConfig.Builder> apply) {
    }

    /** Static-RSA suites, AEAD first: no forward secrecy, but every old server has them. */
    private static final List<String> STATIC_RSA = List.of("TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA");
    private static final List<String> DHE = List.of("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA");
    private static final List<String> TRIPLE_DES = List.of("TLS_RSA_WITH_3DES_EDE_CBC_SHA");

    /** A setting a failure's hint names, which the ladder then tries at that failure's version. */
    private record Named(String call, java.util.function.UnaryOperator<TlsClientConfig.Builder> apply) {
    }

    private static final List<Named> NAMED = List.of(
            new Named(".allowServersWithoutSecureRenegotiation()", TlsClientConfig.Builder::allowServersWithoutSecureRenegotiation),
            new Named(".allowLegacyCertificates()", TlsClientConfig.Builder::allowLegacyCertificates),
            new Named(".allowLegacyDhGroups()", TlsClientConfig.Builder::allowLegacyDhGroups));

    /**
     * When no attempt offering one version worked: per backend, the concessions old servers need, in
     * order of weakness, each tried until one works or reaches the server: what a failure's hint named
     * (legacy certificates, no secure renegotiation), pinned static-RSA, DHE and 3DES suites at TLS 1.2,
     * then a range of versions down to TLS 1.0. Rows come in rung order, then backend order, so the
     * first that worked is the smallest concession.
     */
    private List<ProbeResult> ladder(java.net.InetAddress address, List<ProbeResult> plain) throws InterruptedException {
        List<Callable<List<Ranked>>> climbs = new ArrayList<>();
        for (TlsBackend backend : TlsBackends.available()) {
            List<Rung> rungs = rungs(backend, plain);
            if (!rungs.isEmpty()) {
                climbs.add(() -> climb(backend, rungs, address));
            }
        }
        List<Ranked> rows = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "tlsupgrade-probe-ladder");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Future<List<Ranked>> f : pool.invokeAll(climbs, deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    rows.addAll(f.get());
                } catch (CancellationException | ExecutionException notFinished) {
                    // the rows of a climb that did not finish are not reported
                }
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> order = TlsBackends.available().stream().map(TlsBackend::name).toList();
        rows.sort(java.util.Comparator.comparingInt(Ranked::rank).thenComparingInt(r -> order.indexOf(r.row().backend())));
        return rows.stream().map(Ranked::row).toList();
    }

    /** A ladder row with the rank of its rung. */
    private record Ranked(int rank, ProbeResult row) {
    }

    private List<Ranked> climb(TlsBackend backend, List<Rung> rungs, java.net.InetAddress address) {
        List<Ranked> rows = new ArrayList<>();
        for (Rung rung : rungs) {
            ProbeResult r = attempt(backend, rung, address);
            // A DHE server on a 1024-bit group: the next step is the one its refusal names.
            if (!r.ok() && rung.text().contains("TLS_DHE_") && r.hint() != null && r.hint().contains("allowLegacyDhGroups()")) {
                r = attempt(backend, new Rung(rung.rank(), rung.text() + ".allowLegacyDhGroups()", rung.versions(),
                        rung.fallback(), b -> rung.apply().apply(b).allowLegacyDhGroups()), address);
            }
            rows.add(new Ranked(rung.rank(), r));
            onResult.accept(r);
            if (r.ok() || r.reached()) {
                break;
            }
        }
        return rows;
    }

    /** RFC 7507: an attempt whose newest version is below the backend's newest is a fallback, signalled where it can be. */
    private static boolean fallback(Capabilities caps, TlsVersion newestOffered) {
        TlsVersion newest = java.util.Arrays.stream(TlsVersion.values()).filter(caps::supports)
                .max(java.util.Comparator.naturalOrder()).orElse(TlsVersion.TLS_1_3);
        return newestOffered.compareTo(newest) < 0 && caps.has(TlsFeature.FALLBACK_SCSV);
    }

    private List<Rung> rungs(TlsBackend backend, List<ProbeResult> plain) {
        Capabilities caps = backend.capabilities();
        if (!caps.supports(TlsVersion.TLS_1_2)) {
            return List.of();
        }
        boolean signal = fallback(caps, TlsVersion.TLS_1_2);
        List<Rung> rungs = new ArrayList<>();
        for (Named named : NAMED) {
            plain.stream().filter(r -> r.backend().equals(backend.name()) && r.hint() != null
                    && r.hint().contains(named.call().substring(1))).map(r -> TlsVersion.fromJsseName(r.version()))
                    .flatMap(java.util.Optional::stream).max(java.util.Comparator.naturalOrder())
                    .ifPresent(v -> rungs.add(new Rung(0, named.call(), List.of(v), fallback(caps, v), named.apply())));
        }
        java.util.Set<String> has = backend.supportedCipherSuites();
        // Pinned suites at TLS 1.2, and at any older version where a failure's hint names a pin (the RDP
        // certificate on a TLS 1.0 host, which BoringSSL reaches only over static RSA).
        List<TlsVersion> pinVersions = new ArrayList<>(List.of(TlsVersion.TLS_1_2));
        plain.stream().filter(r -> r.backend().equals(backend.name()) && r.hint() != null
                && r.hint().contains("cipherSuites(")).map(r -> TlsVersion.fromJsseName(r.version()))
                .flatMap(java.util.Optional::stream).filter(v -> !pinVersions.contains(v)).forEach(pinVersions::add);
        int rank = 1;
        for (List<String> family : List.of(STATIC_RSA, DHE, TRIPLE_DES)) {
            List<String> pins = family.stream().filter(has::contains).toList();
            if (!pins.isEmpty()) {
                String text = ".cipherSuites(" + String.join(", ", pins.stream().map(n -> "\"" + n + "\"").toList()) + ")";
                for (TlsVersion v : pinVersions) {
                    rungs.add(new Rung(rank, text, List.of(v), fallback(caps, v), b -> b.cipherSuites(pins.toArray(new String[0]))));
                }
            }
            rank++;
        }
        if (caps.supports(TlsVersion.TLS_1_0) && caps.supports(TlsVersion.TLS_1_1)) {
            rungs.add(new Rung(4, ".protocols(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1, TlsVersion.TLS_1_2)",
                    List.of(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1, TlsVersion.TLS_1_2), signal, b -> b));
        }
        return rungs;
    }

    /** The IP address {@code socket} connected to, or null. */
    private static String at(Socket socket) {
        return socket.getInetAddress() == null ? null : socket.getInetAddress().getHostAddress();
    }

    private static ProbeResult failed(TlsBackend backend, TlsVersion version, java.net.InetAddress address, String failure,
            String hint) {
        return new ProbeResult(backend.name(), version.jsseName(), false, false, null, -1, failure, hint, null,
                address == null ? null : address.getHostAddress());
    }

    /** Settings of a {@link TlsProbe}. */
    public static final class Builder {
        private final String host;
        private final int port;
        private Preamble preamble = Preamble.none();
        private TlsClientConfig base = TlsClientConfig.defaults();
        private Duration attemptTimeout = Duration.ofSeconds(10);
        private Duration deadline = Duration.ofSeconds(60);
        private int parallelism = 4;
        private final List<String> snippetSettings = new ArrayList<>();
        private java.util.function.Consumer<ProbeResult> onResult = r -> { };
        private List<java.net.InetAddress> addresses = List.of();
        private boolean jvmWideOptIns;
        private boolean configGiven;
        private final List<String> childSettings = new ArrayList<>();

        private Builder(String host, int port) {
            this.host = HostName.of(host).name();
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 1..65535");
            }
            this.port = port;
        }

        /** The plaintext part before TLS; if unset: none. */
        public Builder preamble(Preamble p) {
            this.preamble = Objects.requireNonNull(p, "preamble");
            return this;
        }

        /**
         * Trust, client certificate, server name... for every attempt; versions are the probe's. What is
         * set here is not repeated in the recommended snippet: prefer the setters below, which are.
         */
        public Builder config(TlsClientConfig config) {
            this.base = Objects.requireNonNull(config, "config");
            this.configGiven = true;
            return this;
        }

        /**
         * When nothing else works, also tries each version a backend offers only after its JVM-wide
         * opt-in, in a JVM of its own started with this one's class path (this JVM is not changed); the
         * rows and the recommendation name the call. Takes a second or so per attempt.
         */
        public Builder jvmWideOptIns() {
            this.jvmWideOptIns = true;
            return this;
        }

        /** Trusts the CAs in {@code pemFile} for every attempt (and in the recommended snippet). */
        public Builder trustedCertificates(java.nio.file.Path pemFile) {
            this.base = base.toBuilder().trustedCertificates(pemFile).build();
            childSettings.add("trust=" + pemFile);
            snippetSettings.add(".trustedCertificates(Path.of(" + quoted(pemFile.toString()) + "))");
            return this;
        }

        /** Pins the server's certificate for every attempt (and in the recommended snippet). */
        public Builder pinnedCertificates(String... fingerprints) {
            this.base = base.toBuilder().pinnedCertificates(fingerprints).build();
            for (String f : fingerprints) {
                childSettings.add("pin=" + f.trim());
            }
            StringBuilder args = new StringBuilder();
            for (String f : fingerprints) {
                args.append(args.length() == 0 ? "" : ", ").append(quoted(f.trim()));
            }
            snippetSettings.add(".pinnedCertificates(" + args + ")");
            return this;
        }

        /** Trust on first use with {@code file} for every attempt (and in the recommended snippet). */
        public Builder knownHosts(java.nio.file.Path file) {
            this.base = base.toBuilder().knownHosts(file).build();
            childSettings.add("knownHosts=" + file);
            snippetSettings.add(".knownHosts(Path.of(" + quoted(file.toString()) + "))");
            return this;
        }

        /** The name to send as SNI and verify, for every attempt (and in the recommended snippet). */
        public Builder serverName(String name) {
            this.base = base.toBuilder().serverName(name).build();
            childSettings.add("serverName=" + name);
            snippetSettings.add(".serverName(" + quoted(base.serverName().orElseThrow()) + ")");
            return this;
        }

        private static String quoted(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }

        /** Bound on each attempt (connect, preamble, handshake); default 10 s. */
        public Builder attemptTimeout(Duration t) {
            this.attemptTimeout = Objects.requireNonNull(t);
            return this;
        }

        /** Bound on the whole probe; default 60 s. */
        public Builder deadline(Duration d) {
            this.deadline = Objects.requireNonNull(d);
            return this;
        }

        /**
         * The addresses to probe instead of those the host resolves to (for example one IPv6 and one
         * IPv4 address of a name); the host name still goes into SNI and the certificate check.
         */
        public Builder addresses(java.net.InetAddress... addresses) {
            this.addresses = List.of(addresses);
            return this;
        }

        /** Told about each attempt as it finishes (from the probe's threads), for progress output. */
        public Builder onResult(java.util.function.Consumer<ProbeResult> listener) {
            this.onResult = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Attempts at once; default 4. */
        public Builder parallelism(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1: " + n);
            }
            this.parallelism = n;
            return this;
        }

        public TlsProbe build() {
            return new TlsProbe(this);
        }
    }
}
