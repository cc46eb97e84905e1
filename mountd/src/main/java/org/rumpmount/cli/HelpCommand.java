package org.rumpmount.cli;

import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;

/** help (shell only): the commands, or one command's usage. */
@Command(name = "help", description = "List the commands, or show one command's usage.")
final class HelpCommand implements FsCommand {
    @Parameters(paramLabel = "COMMAND", arity = "0..1")
    String command;

    private final Shell shell;

    HelpCommand(Shell shell) {
        this.shell = shell;
    }

    @Override
    public int run(FsContext ctx) throws CommandFailure {
        Map<String, Supplier<FsCommand>> all = shell.commands();
        if (command != null) {
            if (!all.containsKey(command)) {
                throw new CommandFailure(command + ": unknown command");
            }
            return shell.execute(command + " --help");
        }
        StringBuilder sb = new StringBuilder("Commands (COMMAND --help for its options):\n");
        for (Map.Entry<String, Supplier<FsCommand>> e : all.entrySet()) {
            String[] d = CommandSpec.forAnnotatedObject(e.getValue().get()).usageMessage().description();
            sb.append(String.format("  %-6s %s%n", e.getKey(), d.length == 0 ? "" : d[0]));
        }
        ctx.io().out(RawText.ofHost(sb.toString().replace(System.lineSeparator(), "\n")));
        return 0;
    }
}
