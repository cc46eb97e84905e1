package org.rumpmount.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The interactive shell on one mounted file system: reads lines as bytes, runs each with the
 * same command objects as the one-shot commands, against a working directory. A failing
 * command prints its error and the shell reads on.
 *
 * <p>Exit status: {@code exit N} gives N; {@code exit} or end of input gives the status of the
 * last command that failed (1, or 2 for a usage error), or 0 if none did.
 */
final class Shell {
    private final FsContext ctx;
    private final Io io;
    private final Map<String, Supplier<FsCommand>> commands = new LinkedHashMap<>();
    private final ReentrantLock running = new ReentrantLock();
    private int lastFailure;
    private Integer exitStatus;

    Shell(FsContext ctx) {
        this.ctx = ctx;
        this.io = ctx.io();
        for (Supplier<FsCommand> s : FsCommands.all()) {
            commands.put(CommandSpecs.name(s.get()), s);
        }
        commands.put("cd", CdCommand::new);
        commands.put("pwd", PwdCommand::new);
        commands.put("help", () -> new HelpCommand(this));
        commands.put("exit", () -> new ExitCommand(this));
    }

    /** Held while a command runs, so an unmount at exit waits for it. */
    ReentrantLock running() {
        return running;
    }

    /** Command names and their one-line descriptions, for help. */
    Map<String, Supplier<FsCommand>> commands() {
        return commands;
    }

    /** Reads and runs lines until exit or end of input; returns the exit status. */
    int run() throws IOException {
        InputStream in = io.in();
        while (exitStatus == null) {
            if (io.interactive()) {
                io.err("rumpmount:" + ctx.cwd() + "> ");
            }
            String line = readLine(in);
            if (line == null) {
                break;
            }
            int rc;
            running.lock();
            try {
                rc = execute(line);
            } finally {
                running.unlock();
            }
            if (rc != 0) {
                lastFailure = rc;
            }
            if (io.stdoutBroken()) {
                return ExitCodes.FAILED; // nobody is reading any more
            }
        }
        if (io.interactive() && exitStatus == null) {
            io.err("\n");
        }
        return exitStatus != null ? exitStatus : lastFailure;
    }

    /** Runs one line; returns its status. */
    int execute(String rawLine) {
        List<String> words;
        try {
            words = ShellLexer.split(rawLine);
        } catch (IllegalArgumentException e) {
            io.err("rumpmount: " + e.getMessage() + "\n");
            return ExitCodes.USAGE;
        }
        if (words.isEmpty()) {
            return 0;
        }
        Supplier<FsCommand> s = commands.get(words.get(0));
        if (s == null) {
            io.err(words.get(0) + ": unknown command; 'help' lists them\n");
            return ExitCodes.USAGE;
        }
        FsCommand op = s.get();
        String name = words.get(0);
        CommandLine cl = new CommandLine(CommandSpecs.wrap(op, () -> {
            ctx.prefix(name + ": ");
            return op.run(ctx);
        }, null));
        Cli.configure(cl, io, "", true);
        return cl.execute(words.subList(1, words.size()).toArray(new String[0]));
    }

    /** Ends the shell after this line with {@code status}. */
    void exit(Integer status) {
        this.exitStatus = status != null ? status : lastFailure;
    }

    /** One line without its newline, as raw text; null at end of input. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            b.write(c);
        }
        if (c < 0 && b.size() == 0) {
            return null;
        }
        return RawText.of(b.toByteArray());
    }
}
