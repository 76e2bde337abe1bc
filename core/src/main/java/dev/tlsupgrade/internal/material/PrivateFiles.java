package dev.tlsupgrade.internal.material;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;

/**
 * Whether a file core trusts for secrets or for identities (the key log, the known hosts) is
 * really the user's own: a regular file, no symbolic link, owned by the user running the JVM, and
 * with no permission beyond {@code allowed}. Someone else's file, or one others may write, could
 * hold what an attacker put there.
 */
public final class PrivateFiles {
    private PrivateFiles() {
    }

    /**
     * Why {@code file} (which exists) cannot be trusted, or null when it can.
     *
     * @throws IOException when its attributes cannot be read
     */
    public static String problem(Path file, Set<PosixFilePermission> allowed) throws IOException {
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        UserPrincipal me = file.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        if (a.isSymbolicLink()) {
            return "it is a symbolic link";
        }
        if (!a.isRegularFile()) {
            return "it is not a regular file";
        }
        if (!a.owner().equals(me)) {
            return "it belongs to " + a.owner().getName() + ", not to " + me.getName();
        }
        Set<PosixFilePermission> extra = EnumSet.copyOf(a.permissions());
        extra.removeAll(allowed);
        if (!extra.isEmpty()) {
            return "others may " + (extra.contains(PosixFilePermission.GROUP_WRITE) || extra.contains(
                    PosixFilePermission.OTHERS_WRITE) ? "write" : "read") + " it (" + PosixFilePermissions.toString(
                            a.permissions()) + ")";
        }
        return null;
    }
}
