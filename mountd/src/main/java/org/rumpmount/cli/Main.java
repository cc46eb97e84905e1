package org.rumpmount.cli;

import java.time.ZoneId;

/** The rumpmount command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ArgvBytes.recover(args);
        CliLogging.install();
        System.exit(Cli.run(Io.system(), ZoneId.systemDefault(), args));
    }
}
