package dev.tlsupgrade.internal.material;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Appends NSS key log lines (the SSLKEYLOGFILE format Wireshark reads) to one file. Every line is a
 * secret that decrypts a connection, so the file is created readable by its owner only (atomically,
 * with that mode from the start), and an existing file is used only if it is a regular file, not a
 * symbolic link, owned by this user, with no group or other access; anything else is refused when
 * the upgrader is made, with the reason. Lines are appended without following symbolic links.
 */
public final class KeyLog {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<java.nio.file.OpenOption> APPEND_NO_FOLLOW = Set.of(StandardOpenOption.WRITE,
            StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);

    private final Path file;

    /** Creates {@code file} owner-only, or checks the existing one. */
    public KeyLog(Path file) {
        this.file = file.toAbsolutePath();
        try {
            Files.createFile(this.file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException exists) {
            checkExisting();
        } catch (IOException e) {
            // NIO's messages are often the path alone: name the reason.
            String why = e instanceof java.nio.file.NoSuchFileException ? "its directory does not exist"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
            throw new IllegalArgumentException("cannot create the key log " + this.file + ": " + why, e);
        }
    }

    private void checkExisting() {
        String refused;
        try {
            refused = PrivateFiles.problem(file, OWNER_ONLY);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot check the key log " + file + ": " + e.getMessage(), e);
        }
        if (refused != null) {
            throw new IllegalArgumentException("the key log " + file + " is not used: " + refused + "; the secrets of "
                    + "the connections would leak. Name a new file (it is created owner-only) or run 'chmod 600' on it");
        }
    }

    public Path file() {
        return file;
    }

    /** Appends {@code line} (without its newline) to the file. */
    public synchronized void write(String line) {
        byte[] bytes = (line.strip() + "\n").getBytes(StandardCharsets.US_ASCII);
        try (SeekableByteChannel out = Files.newByteChannel(file, APPEND_NO_FOLLOW)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the key log " + file + ": " + e.getMessage(), e);
        }
    }
}
