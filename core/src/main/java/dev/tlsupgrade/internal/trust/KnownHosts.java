package dev.tlsupgrade.internal.trust;

import dev.tlsupgrade.FailureKind;
import dev.tlsupgrade.internal.Text;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trust on first use, as SSH and FreeRDP do it: the first connection to a {@code host:port} records
 * the server's key in a file, and later connections must present the same key.
 *
 * <p>The file has one server a line, {@code HOST:PORT sha256/BASE64}, the SHA-256 of the
 * certificate's SubjectPublicKeyInfo (so a certificate renewed with the same key still matches);
 * lines starting with {@code #} are comments. It is created readable by its owner only and replaced
 * atomically; a lock file next to it serialises writers, so two processes recording at once both
 * keep their lines.
 */
public final class KnownHosts {
    private static final Logger LOG = LoggerFactory.getLogger("dev.tlsupgrade.TlsUpgrader");
    private static final String HEADER = String.join("\n",
            "# tlsupgrade known hosts: one server a line, HOST:PORT sha256/BASE64 (the SHA-256 of the",
            "# server certificate's SubjectPublicKeyInfo), recorded on the first connection. To accept a",
            "# changed key, delete the server's line: the next connection records it again.",
            "");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** Fingerprints are no secret: others may read the file, never write it. */
    private static final Set<PosixFilePermission> READABLE_BY_ALL = PosixFilePermissions.fromString("rw-r--r--");

    private final Path file;

    public KnownHosts(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    /** The server's name in the file: {@code host:port}, an IPv6 literal in brackets. */
    static String key(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Accepts {@code leaf} for {@code host:port} if its key is the one recorded, records it if none is,
     * and refuses it with {@link FailureKind#CERTIFICATE_CHANGED} otherwise.
     */
    void check(String host, int port, X509Certificate leaf) throws CertificateProblem {
        String key = key(host, port);
        String presented = Fingerprints.base64(Fingerprints.ofPublicKey(leaf));
        synchronized (KnownHosts.class) {
            try (FileChannel lockChannel = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), ownerOnly());
                    FileLock lock = lockChannel.lock()) {
                Map<String, String> entries = read();
                String stored = entries.get(key);
                if (stored == null) {
                    entries.put(key, presented);
                    write(entries);
                    LOG.warn("known hosts: first connection to {}; recorded its key {} in {} and trusted it without "
                            + "checking who signed it. Later connections must present the same key.", key, presented, file);
                    return;
                }
                if (stored.equals(presented)) {
                    return;
                }
                throw new CertificateProblem(FailureKind.CERTIFICATE_CHANGED, 0, CertificateVerifier.subject(leaf),
                        "the key of " + key + " has changed since it was recorded in " + file + ": stored " + stored
                                + ", presented " + presented + " (certificate '" + CertificateVerifier.subject(leaf) + "').",
                        "if the server really has a new key, delete the line '" + key + " " + stored + "' from " + file
                                + " and connect again (it is recorded then); if not, someone may be impersonating the server.",
                        null);
            } catch (IOException e) {
                // Fail closed, the same way on every backend: a file that cannot be read decides nothing.
                throw new CertificateProblem(FailureKind.CERTIFICATE_UNTRUSTED, 0, CertificateVerifier.subject(leaf),
                        "the known hosts file " + file + " cannot be used: " + Text.escape(String.valueOf(e.getMessage()))
                                + "; no server is trusted by it until it is fixed.",
                        "repair or delete the file (a deleted file is created again, recording keys anew).", e);
            }
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)};
    }

    private Map<String, String> read() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return entries;
        }
        String unsafe = dev.tlsupgrade.internal.material.PrivateFiles.problem(file, READABLE_BY_ALL);
        if (unsafe != null) {
            throw new IOException(unsafe + ", so the keys in it may not be the ones you recorded (run 'chmod 644' on "
                    + "a file of your own)");
        }
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split("\\s+");
            if (parts.length != 2 || !parts[1].startsWith("sha256/")) {
                throw new IOException("line " + number + " is not 'HOST:PORT sha256/BASE64': " + Text.escape(l));
            }
            Fingerprints.parse(parts[1]);
            entries.put(parts[0], parts[1]);
        }
        return entries;
    }

    private void write(Map<String, String> entries) throws IOException {
        List<String> lines = new ArrayList<>();
        entries.forEach((k, v) -> lines.add(k + " " + v));
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp", ownerOnly());
        try {
            Files.writeString(tmp, HEADER + String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
