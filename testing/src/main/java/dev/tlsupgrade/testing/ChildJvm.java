package dev.tlsupgrade.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Runs a {@code main} class in a fresh JVM with this test's class path, for what must happen before
 * a JVM's first TLS use or must not leak into the test JVM (JVM-wide opt-ins, missing native code).
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** What a child JVM printed (stdout and stderr together) and its exit code. */
    public record Result(int exitCode, String output) {
    }

    public static Result run(Class<?> main, String... args) throws IOException, InterruptedException {
        return run(main, UnaryOperator.identity(), args);
    }

    /** Like {@link #run(Class, String...)}, with the class path entries rewritten by {@code classPath}. */
    public static Result run(Class<?> main, UnaryOperator<List<Path>> classPath, String... args)
            throws IOException, InterruptedException {
        return run(main, classPath, List.of(), Map.of(), args);
    }

    /** Like {@link #run(Class, String...)}, with JVM options and environment variables for the child. */
    public static Result run(Class<?> main, List<String> jvmOptions, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        return run(main, UnaryOperator.identity(), jvmOptions, environment, args);
    }

    private static Result run(Class<?> main, UnaryOperator<List<Path>> classPath, List<String> jvmOptions,
            Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> cp = new ArrayList<>();
        for (Path p : classPath.apply(classPath())) {
            cp.add(p.toString());
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, cp), main.getName()));
        cmd.addAll(List.of(args));
        // The output goes to a file, so that a child that never ends cannot block the reading of it.
        Path output = Files.createTempFile("tlsupgrade-child", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
            pb.environment().putAll(environment);
            Process child = pb.start();
            if (!child.waitFor(120, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                throw new AssertionError("the child JVM did not finish: " + Files.readString(output));
            }
            return new Result(child.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * Runs {@link DiscoveryReport} for {@code backend} with every class path jar whose file name
     * starts with {@code jarPrefix} copied into {@code dir} without its {@code META-INF/native/}
     * libraries: a machine where the backend's native code cannot load.
     */
    public static Result withoutNativeLibraries(String backend, String jarPrefix, Path dir)
            throws IOException, InterruptedException {
        return run(DiscoveryReport.class, cp -> {
            List<Path> out = new ArrayList<>();
            for (Path p : cp) {
                out.add(p.getFileName().toString().startsWith(jarPrefix) ? stripNatives(p, dir) : p);
            }
            return out;
        }, backend);
    }

    private static Path stripNatives(Path jar, Path dir) {
        Path to = dir.resolve(jar.getFileName());
        try (InputStream raw = Files.newInputStream(jar); JarInputStream in = new JarInputStream(raw);
                OutputStream rawOut = Files.newOutputStream(to);
                JarOutputStream out = in.getManifest() == null ? new JarOutputStream(rawOut)
                        : new JarOutputStream(rawOut, in.getManifest())) {
            JarEntry e;
            while ((e = in.getNextJarEntry()) != null) {
                if (!e.getName().startsWith("META-INF/native/")) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    /** This JVM's class path entries, expanding a manifest-only jar (as Surefire uses) into its Class-Path. */
    public static List<Path> classPath() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            Manifest m = null;
            if (entry.endsWith(".jar")) {
                try (JarFile jar = new JarFile(p.toFile())) {
                    m = jar.getManifest();
                }
            }
            String classPath = m == null ? null : m.getMainAttributes().getValue("Class-Path");
            if (classPath != null && p.getFileName().toString().startsWith("surefire")) {
                for (String u : classPath.trim().split("\\s+")) {
                    out.add(Path.of(java.net.URI.create(u)));
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }
}
