package org.rumpmount.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;

/** One run of the command line with captured streams, in UTC. */
record CliRun(int exit, byte[] stdout, String stderr) {

    static CliRun run(String... args) {
        return withInput(new byte[0], args);
    }

    static CliRun withInput(String stdin, String... args) {
        return withInput(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    static CliRun withInput(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(stdin), out, err, false);
        int rc = Cli.run(io, ZoneOffset.UTC, args);
        return new CliRun(rc, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out() + "--- stderr\n" + stderr;
    }
}
