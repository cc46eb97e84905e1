package org.rumpmount.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** rumpmount: NetBSD file systems in user space; each subcommand is its own class. */
@Command(name = "rumpmount",
        versionProvider = VersionProvider.class,
        mixinStandardHelpOptions = true,
        description = {
            "NetBSD file systems in user space: work on file system images without mounting them in the host kernel and without root.",
            "",
            "Commands on an image take -t TYPE, -o OPTIONS and IMAGE before their own operands, e.g. 'rumpmount ls -l disk.img /etc'. "
                + "They see the image as root (uid 0): whoever can open the image file owns what is in it."},
        commandListHeading = "%nCommands:%n")
final class RootCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }
}
