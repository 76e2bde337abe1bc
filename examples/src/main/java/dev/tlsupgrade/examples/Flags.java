package dev.tlsupgrade.examples;

import dev.tlsupgrade.TlsBackend;
import dev.tlsupgrade.TlsBackends;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the commands check in their arguments before any connection, in command-line words: files
 * that must be there, files that will be written, flags given twice, backend names, timeouts. Each
 * refusal is an {@link IllegalArgumentException} whose message is the one line the user sees (exit 2).
 */
final class Flags {
    private final Set<String> seen = new HashSet<>();
    private final Set<String> repeatable;

    Flags(String... repeatable) {
        this.repeatable = Set.of(repeatable);
    }

    /** Refuses {@code flag} the second time it is given, unless it may repeat. */
    void once(String flag) {
        if (!seen.add(flag) && !repeatable.contains(flag)) {
            throw new IllegalArgumentException(flag + " was given twice; give it once");
        }
    }

    boolean given(String flag) {
        return seen.contains(flag);
    }

    /** Refuses two flags that cannot go together, saying why. */
    void notTogether(String a, String b, String why) {
        if (given(a) && given(b)) {
            throw new IllegalArgumentException(a + " and " + b + " cannot go together: " + why);
        }
    }

    /** A file {@code flag} reads: it must exist and be readable now; the reason is the operating system's. */
    static Path readable(String flag, String value) {
        Path p = Path.of(value);
        try (InputStream in = Files.newInputStream(p)) {
            return p;
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + " " + value + ": " + reason(e));
        }
    }

    /**
     * A file {@code flag} writes: its directory must exist and be writable, and the file, if there,
     * must be a regular file.
     */
    static Path writable(String flag, String value) {
        Path p = Path.of(value).toAbsolutePath();
        Path dir = p.getParent();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(flag + " " + value + ": the directory " + dir
                    + (Files.exists(dir) ? " is not a directory" : " does not exist"));
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException(flag + " " + value + ": the directory " + dir + " is not writable");
        }
        if (Files.exists(p) && !Files.isRegularFile(p)) {
            throw new IllegalArgumentException(flag + " " + value + ": not a regular file");
        }
        return Path.of(value);
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A whole number of seconds, at least one. */
    static Duration seconds(String flag, String value) {
        long s;
        try {
            s = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number of seconds: '" + value + "'");
        }
        if (s < 1) {
            throw new IllegalArgumentException(flag + " must be at least 1 second: '" + value + "'");
        }
        return Duration.ofSeconds(s);
    }

    /** The backend called {@code name}; an unknown name is answered with the available ones and the nearest. */
    static TlsBackend backend(String name) {
        List<String> names = TlsBackends.all().stream().map(TlsBackend::name).collect(Collectors.toList());
        if (!names.contains(name)) {
            String nearest = names.stream().min((a, b) -> distance(a, name) - distance(b, name)).orElse(null);
            throw new IllegalArgumentException("--backend '" + name + "' is not a backend; available: "
                    + TlsBackends.available().stream().map(TlsBackend::name).collect(Collectors.joining(", "))
                    + (nearest != null && distance(nearest, name) <= 2 ? " (did you mean " + nearest + "?)" : ""));
        }
        return TlsBackends.get(name);
    }

    /** Levenshtein distance, for "did you mean". */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            prev = cur;
        }
        return prev[b.length()];
    }
}
