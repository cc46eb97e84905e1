package org.rumpmount.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Range;

/**
 * Builds the picocli model of an {@link FsCommand} for where it runs. On an image the
 * {@link ImageOptions} mixin comes first, so IMAGE is operand 0 and the command's own operands
 * move up by one; in the shell the command's operands start at 0. The options and operands
 * stay bound to the command object, so it is written once for both.
 */
final class CommandSpecs {
    private CommandSpecs() {
    }

    /** The name in the command's {@code @Command} annotation. */
    static String name(Object command) {
        return command.getClass().getAnnotation(Command.class).name();
    }

    /**
     * A spec whose options and operands fill {@code op}, executed by calling {@code runner}.
     * {@code image} (null in the shell) adds -t, -o and IMAGE.
     */
    static CommandSpec wrap(FsCommand op, Callable<Integer> runner, ImageOptions image) {
        CommandSpec own = CommandSpec.forAnnotatedObject(op);
        CommandSpec spec = CommandSpec.wrapWithoutInspection(runner);
        spec.name(own.name());
        spec.usageMessage()
                .description(own.usageMessage().description())
                .footer(own.usageMessage().footer())
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCodes.HELP_LIST)
                .sortOptions(false);
        int shift = 0;
        if (image != null) {
            spec.addMixin("image", CommandSpec.forAnnotatedObject(image));
            shift = 1;
        }
        for (OptionSpec o : own.options()) {
            spec.addOption(o);
        }
        for (PositionalParamSpec p : own.positionalParameters()) {
            spec.addPositional(shift == 0 ? p : p.toBuilder().index(shifted(p.index(), shift)).build());
        }
        spec.addOption(helpOption());
        return spec;
    }

    /** --help alone: -h means "human-readable" to du, df and ls. */
    static OptionSpec helpOption() {
        return OptionSpec.builder("--help").usageHelp(true).description("Show this help and exit.").build();
    }

    private static String shifted(Range r, int by) {
        String max = r.max() == Integer.MAX_VALUE ? "*" : String.valueOf(r.max() + by);
        return (r.min() + by) + ".." + max;
    }
}
