package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Real host commands, run with a time limit, in a directory, under the C locale. */
final class Sh {
    /** What a command did. */
    record Result(List<String> cmd, int exit, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        Result ok() {
            if (exit != 0) {
                fail(String.join(" ", cmd) + " exited " + exit + ": " + stderr + out());
            }
            return this;
        }

        Result fails(String stderrPart) {
            if (exit == 0) {
                fail(String.join(" ", cmd) + " succeeded; expected a failure with '" + stderrPart + "'");
            }
            if (!stderr.contains(stderrPart)) {
                fail(String.join(" ", cmd) + " failed with '" + stderr.trim() + "', expected '" + stderrPart + "'");
            }
            return this;
        }
    }

    private static final long TIMEOUT_SECONDS = 180;

    private Sh() {
    }

    static Result run(Path dir, String... cmd) {
        return run(dir, null, cmd);
    }

    static Result run(Path dir, byte[] stdin, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
            // Fixed locale: messages are compared, and the C locale makes names plain bytes.
            pb.environment().put("LC_ALL", "C");
            pb.environment().put("LANG", "C");
            Process p = pb.start();
            CompletableFuture<byte[]> out = drain(p.getInputStream());
            CompletableFuture<byte[]> err = drain(p.getErrorStream());
            if (stdin != null) {
                p.getOutputStream().write(stdin);
            }
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", cmd) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(Arrays.asList(cmd), p.exitValue(), out.join(),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + String.join(" ", cmd), e);
        }
    }

    static Process start(Path dir, String... cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        return pb.start();
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
    }

    /** Runs python3 with {@code script} (arguments after it as sys.argv[1:]). */
    static Result python(Path dir, String script, String... args) {
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", script));
        cmd.addAll(Arrays.asList(args));
        return run(dir, cmd.toArray(new String[0]));
    }

    static void assertOk(Result r, String expectedOut) {
        r.ok();
        assertEquals(expectedOut, r.out());
    }
}
