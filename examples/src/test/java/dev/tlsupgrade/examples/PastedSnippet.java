package dev.tlsupgrade.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.testing.ChildJvm;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import javax.tools.ToolProvider;

/** A snippet the probe printed, pasted into a class as a user would, compiled and run. */
final class PastedSnippet {
    private PastedSnippet() {
    }

    /**
     * Compiles a README snippet as a reader pastes it: its import lines at the top of a file, the rest
     * as the body of a method; fails the test with javac's messages when it does not compile.
     */
    static void compiles(String snippet, Path dir) throws Exception {
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : snippet.lines().toList()) {
            (line.startsWith("import ") ? imports : body).append(line).append('\n');
        }
        String source = imports + "public class FromReadme {\n    static void run() throws Exception {\n" + body
                + "    }\n}\n";
        Path file = dir.resolve("FromReadme.java");
        Files.writeString(file, source);
        String classPath = ChildJvm.classPath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        int javac = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-cp", classPath, "-d", dir.toString(),
                file.toString());
        assertThat(javac).as("the README snippet compiles as pasted:\n" + source).isZero();
    }

    /** Compiles {@code snippet} inside a method with a connected {@code socket}; returns the negotiated protocol. */
    static String run(String snippet, String host, int port, Path dir) throws Exception {
        String source = String.join("\n",
                "import dev.tlsupgrade.*;",
                "import dev.tlsupgrade.preamble.Preamble;",
                "import java.net.Socket;",
                "import java.nio.file.Path;",
                "import java.time.Duration;",
                "import javax.net.ssl.SSLSocket;",
                "public class Pasted {",
                "    public static String connect(String host, int port) throws Exception {",
                "        try (Socket socket = new Socket(host, port)) {",
                snippet,
                "            try (tls) {",
                "                return tls.getSession().getProtocol();",
                "            }",
                "        }",
                "    }",
                "}",
                "");
        Path file = dir.resolve("Pasted.java");
        Files.writeString(file, source);
        String classPath = ChildJvm.classPath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        int javac = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-cp", classPath, "-d", dir.toString(),
                file.toString());
        assertThat(javac).as("the pasted snippet compiles:\n" + source).isZero();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, PastedSnippet.class.getClassLoader())) {
            return (String) loader.loadClass("Pasted").getMethod("connect", String.class, int.class).invoke(null, host, port);
        }
    }
}
