package dev.tlsupgrade.internal.material;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key log holds secrets: created owner-only, and an unsafe existing file is refused. */
class KeyLogTest {
    @TempDir
    Path dir;

    @Test
    void aNewFileIsCreatedOwnerOnlyAndAppendedTo() throws Exception {
        Path file = dir.resolve("keys.log");
        KeyLog log = new KeyLog(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        log.write("CLIENT_RANDOM aa bb");
        new KeyLog(file).write("CLIENT_RANDOM cc dd");
        assertThat(Files.readAllLines(file)).containsExactly("CLIENT_RANDOM aa bb", "CLIENT_RANDOM cc dd");
    }

    @Test
    void aMissingDirectoryIsSaidSo() {
        Path file = dir.resolve("no-such-dir").resolve("keys.log");
        assertThatThrownBy(() -> new KeyLog(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot create the key log " + file + ": its directory does not exist");
    }

    @Test
    void anExistingFileOthersCanReadIsRefused() throws Exception {
        Path file = Files.createFile(dir.resolve("open.log"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> new KeyLog(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rw-r--r--").hasMessageContaining("chmod 600");
        assertThat(Files.getPosixFilePermissions(file)).as("left as it was")
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    }

    @Test
    void aSymbolicLinkIsRefused() throws Exception {
        Path target = Files.createFile(dir.resolve("target.log"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(dir.resolve("link.log"), target);
        assertThatThrownBy(() -> new KeyLog(link)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("symbolic link");
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.log"), dir.resolve("nowhere.log"));
        assertThatThrownBy(() -> new KeyLog(dangling)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("symbolic link");
        assertThat(Files.exists(dir.resolve("nowhere.log"))).as("nothing created through the link").isFalse();
    }
}
