package dev.tlsupgrade;

import dev.tlsupgrade.internal.material.KeyStores;
import dev.tlsupgrade.internal.material.ReloadableKeyManager;
import dev.tlsupgrade.internal.trust.CertificateVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads an upgrader's trust and key files when they change: at most once per interval, at the
 * start of a handshake, or at once on {@link TlsUpgrader#reload()}. A file counts as changed when
 * its modification time, size or identity (a rename over it, as cert-manager and Vault agents do)
 * differs; new material is used only when every file of it reads whole and did not change while it
 * was read, otherwise the previous material stays and a warning names the file.
 */
final class MaterialReloader {
    private static final Logger LOG = LoggerFactory.getLogger(MaterialReloader.class);

    private record Stamp(long modified, long size, Object key) {
    }

    private final MaterialFiles files;
    private final long intervalNanos;
    private final CertificateVerifier verifier;
    private final ReloadableKeyManager keys;
    private final Map<Path, Stamp> seen = new HashMap<>();
    private final boolean watching;
    private volatile long lastCheck = System.nanoTime();

    MaterialReloader(MaterialFiles files, Duration interval, CertificateVerifier verifier, ReloadableKeyManager keys) {
        this.files = files;
        this.intervalNanos = interval.toNanos();
        this.verifier = verifier;
        this.keys = keys;
        for (Path p : files.files()) {
            seen.put(p, stamp(p));
        }
        this.watching = intervalNanos > 0 && !seen.isEmpty();
    }

    /** Checks the files when the interval has passed since the last check. */
    void maybeReload() {
        if (watching && System.nanoTime() - lastCheck >= intervalNanos) {
            try {
                check(false);
            } catch (IllegalStateException e) {
                LOG.warn("{}", e.getMessage());
            }
        }
    }

    /**
     * Re-reads what changed ({@code force}: everything).
     *
     * @throws IllegalStateException naming the file that did not read; the previous material stays
     */
    synchronized void check(boolean force) {
        lastCheck = System.nanoTime();
        IllegalStateException failed = null;
        if (files.trust() != null && (force || changed(List.of(files.trust().file())))) {
            try {
                List<X509Certificate> anchors = readWhole(List.of(files.trust().file()), () -> files.trust().read());
                verifier.replaceAnchors(anchors);
                LOG.info("trust anchors re-read from {}: {} certificate(s)", files.trust().file(), anchors.size());
            } catch (IllegalStateException e) {
                failed = e;
            }
        }
        if (files.key() != null && keys != null && (force || changed(files.key().files()))) {
            try {
                KeyStores.Identity id = readWhole(files.key().files(), () -> files.key().read());
                keys.replace(id.key(), id.chain());
                LOG.info("client certificate re-read from {}: '{}'", files.key().files(),
                        id.chain().get(0).getSubjectX500Principal().getName());
            } catch (IllegalStateException e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private boolean changed(List<Path> paths) {
        for (Path p : paths) {
            if (!Objects.equals(seen.get(p), stamp(p))) {
                return true;
            }
        }
        return false;
    }

    private <T> T readWhole(List<Path> paths, java.util.function.Supplier<T> read) {
        Map<Path, Stamp> before = new HashMap<>();
        paths.forEach(p -> before.put(p, stamp(p)));
        T material;
        try {
            material = read.get();
        } catch (RuntimeException e) {
            throw new IllegalStateException("kept the previous trust and key material: " + paths + " did not read ("
                    + e.getMessage() + "); it is read again at the next check", e);
        }
        for (Path p : paths) {
            Stamp now = stamp(p);
            if (!now.equals(before.get(p))) {
                throw new IllegalStateException("kept the previous trust and key material: " + p + " changed while it "
                        + "was read; it is read again at the next check");
            }
        }
        seen.putAll(before);
        return material;
    }

    private static Stamp stamp(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime().toMillis(), a.size(), a.fileKey());
        } catch (IOException e) {
            return new Stamp(-1, -1, null);
        }
    }
}
