package org.rumpmount.cli;

import java.time.ZoneId;
import java.util.function.Supplier;
import picocli.CommandLine;

/** Assembles the rumpmount command line over given streams and runs it. */
final class Cli {
    private Cli() {
    }

    static CommandLine commandLine(Io io, ZoneId zone) {
        CommandLine root = new CommandLine(new RootCommand());
        for (Supplier<FsCommand> s : FsCommands.all()) {
            OneShot one = new OneShot(s.get(), io, zone);
            CommandLine sub = new CommandLine(CommandSpecs.wrap(one.op(), one, one.image()));
            root.addSubcommand(sub);
        }
        for (Object own : new Object[] {new ShellCommand(io, zone), new DriversCommand(io), new ProbeCommand(io), new DumpfsCommand(io), new NewfsCommand(io), new MakefsCommand(io),
                new MountCommand(io)}) {
            CommandLine sub = new CommandLine(own);
            sub.getCommandSpec().addOption(CommandSpecs.helpOption());
            sub.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.HELP_LIST);
            root.addSubcommand(sub);
        }
        // fsck keeps fsck(8)'s exit codes, with 16 for a usage error.
        CommandLine fsck = new CommandLine(new FsckCommand(io));
        fsck.getCommandSpec().addOption(CommandSpecs.helpOption());
        root.addSubcommand(fsck);
        root.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.HELP_LIST);
        configure(root, io, "rumpmount: ", false);
        // picocli asks the top command's handler about every parse error; route fsck's to fsck(8)'s code.
        CommandLine.IParameterExceptionHandler usage = root.getParameterExceptionHandler();
        root.setParameterExceptionHandler((ex, args) -> {
            if (ex.getCommandLine() == fsck) {
                io.err(RawText.ofHost("rumpmount: fsck: " + ex.getMessage() + "\n"));
                return FsckCommand.USAGE;
            }
            return usage.handleParseException(ex, args);
        });
        return root;
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
        CommandLine cl = commandLine(io, zone);
        int rc = cl.execute(MountHelperForm.rewrite(cl.getSubcommands().keySet(), args));
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
