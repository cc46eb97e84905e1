package org.rumpmount.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the kernel and drivers log (through java.util.logging) reaches the user as a command's
 * own messages do: "rumpmount: warning: ..." on stderr, one line each, instead of the default
 * two lines with a timestamp and a class name. Warnings and worse only.
 */
final class CliLogging {
    private CliLogging() {
    }

    static void install() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            if (h instanceof ConsoleHandler) {
                root.removeHandler(h);
            }
        }
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (isLoggable(r)) {
                    err.print(getFormatter().format(r));
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
                err.flush();
            }
        };
        h.setLevel(Level.WARNING);
        h.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                String level = r.getLevel() == Level.SEVERE ? "error" : "warning";
                Throwable t = r.getThrown();
                return "rumpmount: " + level + ": " + formatMessage(r) + (t == null ? "" : " (" + t + ")") + "\n";
            }
        });
        root.addHandler(h);
    }
}
