package dev.tlsupgrade.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Appends NSS key log lines (the SSLKEYLOGFILE format Wireshark reads) to one file. The file is
 * created readable by its owner only: every line is a secret that decrypts a connection.
 */
public final class KeyLog {
    private final Path file;

    public KeyLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Appends {@code line} (without its newline) to the file. */
    public synchronized void write(String line) {
        try {
            if (!Files.exists(file)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createFile(file);
                } catch (FileAlreadyExistsException raced) {
                    // another writer created it first
                }
            }
            Files.write(file, (line.strip() + "\n").getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the key log " + file + ": " + e.getMessage(), e);
        }
    }
}
