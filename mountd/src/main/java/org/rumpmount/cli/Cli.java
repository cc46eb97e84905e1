package org.rumpmount.cli;

import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine;

/** Assembles the rumpmount command line over given streams and runs it. */
final class Cli {
    private Cli() {
    }

    static CommandLine commandLine(Io io, ZoneId zone) {
        return commandLine(io, zone, null);
    }

    /**
     * The command line with every subcommand, or with {@code only} that one when it is not null.
     * picocli builds a command's model by reflection when the command is added, and building all
     * of them costs a one-shot command more time than the work it was asked to do.
     */
    static CommandLine commandLine(Io io, ZoneId zone, String only) {
        CommandLine root = new CommandLine(new RootCommand());
        for (Supplier<FsCommand> s : FsCommands.all()) {
            FsCommand op = s.get();
            if (only != null && !only.equals(CommandSpecs.name(op))) {
                continue;
            }
            OneShot one = new OneShot(op, io, zone);
            CommandLine sub = new CommandLine(CommandSpecs.wrap(one.op(), one, one.image()));
            root.addSubcommand(sub);
        }
        for (Object own : ownCommands(io, zone)) {
            if (only != null && !only.equals(CommandSpecs.name(own))) {
                continue;
            }
            CommandLine sub = new CommandLine(own);
            sub.getCommandSpec().addOption(CommandSpecs.helpOption());
            sub.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.HELP_LIST);
            root.addSubcommand(sub);
        }
        // fsck keeps fsck(8)'s exit codes, with 16 for a usage error.
        CommandLine fsck = null;
        if (only == null || only.equals(FSCK)) {
            fsck = new CommandLine(new FsckCommand(io));
            fsck.getCommandSpec().addOption(CommandSpecs.helpOption());
            root.addSubcommand(fsck);
        }
        root.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.HELP_LIST);
        configure(root, io, "rumpmount: ", false);
        // picocli asks the top command's handler about every parse error; route fsck's to fsck(8)'s code.
        CommandLine.IParameterExceptionHandler usage = root.getParameterExceptionHandler();
        CommandLine fsckLine = fsck;
        root.setParameterExceptionHandler((ex, args) -> {
            if (fsckLine != null && ex.getCommandLine() == fsckLine) {
                io.err(RawText.ofHost("rumpmount: fsck: " + ex.getMessage() + "\n"));
                return FsckCommand.USAGE;
            }
            return usage.handleParseException(ex, args);
        });
        return root;
    }

    private static final String FSCK = "fsck";

    private static List<Object> ownCommands(Io io, ZoneId zone) {
        return List.of(new ShellCommand(io, zone), new DriversCommand(io), new ProbeCommand(io), new NewfsCommand(io),
                new MakefsCommand(io), new MountCommand(io), new LfsCleanCommand(io));
    }

    /** Every subcommand's name, read from the annotations alone. */
    static Set<String> commandNames(Io io, ZoneId zone) {
        Set<String> names = new LinkedHashSet<>();
        for (Supplier<FsCommand> s : FsCommands.all()) {
            names.add(CommandSpecs.name(s.get()));
        }
        for (Object own : ownCommands(io, zone)) {
            names.add(CommandSpecs.name(own));
        }
        names.add(FSCK);
        return names;
    }

    /**
     * Settings shared by the command line and each shell line. {@code base} starts every
     * message ("rumpmount: " or, in the shell, ""); {@code rawArgs} says the arguments are raw
     * text (shell lines) rather than decoded host text.
     */
    static CommandLine configure(CommandLine cl, Io io, String base, boolean rawArgs) {
        cl.setExpandAtFiles(false)
                .setOut(io.outWriter())
                .setErr(io.errWriter())
                .setExitCodeExceptionMapper(ExitCodes.MAPPER)
                .setExecutionExceptionHandler(ExitCodes.executionHandler(io, base))
                .setParameterExceptionHandler(ExitCodes.parameterHandler(io, base, rawArgs));
        return cl;
    }

    /** Runs {@code args} and returns the exit code; everything written is flushed. */
    static int run(Io io, ZoneId zone, String... args) {
        Set<String> names = commandNames(io, zone);
        String[] argv = MountHelperForm.rewrite(names, args);
        // A command named first is all that is built, and --version alone needs none; anything
        // else (help, a mistyped name that picocli answers with suggestions) gets them all.
        String only = argv.length > 0 && names.contains(argv[0]) ? argv[0]
                : argv.length == 1 && (argv[0].equals("--version") || argv[0].equals("-V")) ? "" : null;
        CommandLine cl = commandLine(io, zone, only);
        int rc = cl.execute(argv);
        try {
            io.flush();
        } catch (Io.WriteError e) {
            // reported below
        }
        java.io.IOException lost = io.unreportedWriteFailure();
        if (lost != null) {
            io.err(RawText.ofHost("rumpmount: write error: " + HostErrors.describe(lost) + "\n"));
            return ExitCodes.FAILED;
        }
        return rc;
    }
}
