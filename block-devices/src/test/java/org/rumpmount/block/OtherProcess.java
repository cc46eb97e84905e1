package org.rumpmount.block;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@link LockHolder} in a separate JVM: the other process that competes for an image's lock. */
final class OtherProcess implements AutoCloseable {
    private final Process process;
    private final String answer;

    private OtherProcess(Process process, String answer) {
        this.process = process;
        this.answer = answer;
    }

    /** Starts a process that opens {@code image} and waits until it reports whether it got it. */
    static OtherProcess open(Path image, boolean readOnly) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), image.toString(), readOnly ? "ro" : "rw")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return "FAILED " + e;
            }
        }).get(60, TimeUnit.SECONDS);
        return new OtherProcess(p, String.valueOf(line));
    }

    boolean held() {
        return answer.equals("HELD");
    }

    /** The message the other process was refused with, or its whole answer if it was not refused. */
    String refusal() {
        return answer.startsWith("REFUSED ") ? answer.substring("REFUSED ".length()) : answer;
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the other process did not exit");
        }
    }
}
