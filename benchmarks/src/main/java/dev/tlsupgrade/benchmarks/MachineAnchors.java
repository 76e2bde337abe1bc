package dev.tlsupgrade.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the machine itself can do, measured in the same run as the paired comparison: one core's
 * AES-128-GCM at 16 KiB ({@code openssl speed}), a C client's full handshakes per second against
 * {@code openssl s_server} ({@code openssl s_time -new}), and plain TCP over the loopback the bulk
 * rows use (no TLS: the ceiling of any TLS bulk figure here).
 */
final class MachineAnchors {
    private MachineAnchors() {
    }

    /** {@code openssl speed -evp aes-128-gcm} at 16 KiB blocks, one process, in MiB/s. */
    static double aes128GcmMibPerSecond(int seconds) throws IOException, InterruptedException {
        String out = run(List.of("openssl", "speed", "-evp", "aes-128-gcm", "-bytes", "16384", "-seconds",
                String.valueOf(seconds)), seconds + 30);
        // The last line: "AES-128-GCM  3812345.67k" (thousands of bytes per second), or its lower-case name.
        Matcher m = Pattern.compile("(?im)^aes-128-gcm\\s+([0-9.]+)k\\s*$").matcher(out);
        double thousands = -1;
        while (m.find()) {
            thousands = Double.parseDouble(m.group(1));
        }
        if (thousands < 0) {
            throw new IOException("cannot read openssl speed's result:\n" + out);
        }
        return thousands * 1000 / (1024 * 1024);
    }

    /** {@code openssl s_time -new} against {@code 127.0.0.1:port} for {@code seconds}: full handshakes per second. */
    static double sTimeHandshakesPerSecond(int port, int seconds) throws IOException, InterruptedException {
        String out = run(List.of("openssl", "s_time", "-connect", "127.0.0.1:" + port, "-new", "-time",
                String.valueOf(seconds)), seconds + 30);
        Matcher m = Pattern.compile("(\\d+) connections in ([0-9.]+) real seconds").matcher(out);
        if (!m.find()) {
            throw new IOException("cannot read openssl s_time's result:\n" + out);
        }
        return Integer.parseInt(m.group(1)) / Double.parseDouble(m.group(2));
    }

    /** Plain TCP over loopback, as the bulk rows send it but without TLS ({@link PlainTcpBulk}), for {@code seconds}; MiB/s. */
    static double loopbackTcpMibPerSecond(int seconds) throws IOException {
        try (PlainTcpBulk plain = new PlainTcpBulk(false)) {
            return plain.rate(seconds * 1_000_000_000L);
        }
    }

    private static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " did not finish in " + timeoutSeconds + " s");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
