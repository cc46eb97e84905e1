package org.rumpmount.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;

/**
 * The exit codes and how failures become them: 0 success, 1 the operation failed (a message on
 * stderr such as {@code rumpmount: ls: /x: No such file or directory}), 2 usage error.
 */
final class ExitCodes implements IExitCodeExceptionMapper {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    /** The lines picocli shows under "Exit codes:" in --help. */
    static final Map<String, String> HELP_LIST = helpList();

    static final ExitCodes MAPPER = new ExitCodes();

    private static Map<String, String> helpList() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(" 0", "success");
        m.put(" 1", "the operation failed; the reason is on stderr");
        m.put(" 2", "usage error (unknown option, missing or bad argument)");
        return Collections.unmodifiableMap(m);
    }

    @Override
    public int getExitCode(Throwable t) {
        if (t instanceof CommandFailure cf) {
            return cf.status();
        }
        if (t instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        return FAILED;
    }

    /**
     * Prints a failure as "{base}{command}: {message}" and maps it to its exit code. Only
     * failures reach the user, never a stack trace.
     */
    static IExecutionExceptionHandler executionHandler(Io io, String base) {
        return (ex, cl, parseResult) -> {
            String prefix = base + cl.getCommandName() + ": ";
            if (ex instanceof Io.WriteError) {
                IOException cause = io.unreportedWriteFailure();
                if (cause != null) {
                    io.err(prefix + RawText.ofHost("write error: " + HostErrors.describe(cause)) + "\n");
                }
                return FAILED;
            }
            Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
            if (t instanceof CommandFailure cf) {
                io.err(prefix + cf.getMessage() + "\n");
                if (cf.status() == USAGE) {
                    io.err(RawText.ofHost("Try '" + fullName(cl) + " --help' for more information.\n"));
                }
            } else if (t instanceof IOException ioe) {
                io.err(prefix + RawText.ofHost(HostErrors.detail(ioe)) + "\n");
            } else {
                io.err(prefix + RawText.ofHost("internal error: " + t) + "\n");
            }
            return MAPPER.getExitCode(t);
        };
    }

    /** Prints a usage error in one line plus a pointer to --help; exit code 2. */
    static IParameterExceptionHandler parameterHandler(Io io, String base, boolean rawArgs) {
        return (ex, args) -> {
            CommandLine cl = ex.getCommandLine();
            boolean root = cl.getParent() == null && base.startsWith("rumpmount");
            String prefix = root ? base : base + cl.getCommandName() + ": ";
            io.err(prefix + (rawArgs ? ex.getMessage() : RawText.ofHost(ex.getMessage())) + "\n");
            io.err(RawText.ofHost("Try '" + fullName(cl) + " --help' for more information.\n"));
            return USAGE;
        };
    }

    private static String fullName(CommandLine cl) {
        return cl.getCommandSpec().qualifiedName();
    }
}
