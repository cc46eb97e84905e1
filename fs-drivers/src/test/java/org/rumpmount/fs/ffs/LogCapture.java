package org.rumpmount.fs.ffs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The messages a class's logger logs at a level or above while this is open. */
final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final List<String> messages = Collections.synchronizedList(new ArrayList<>());
    private final Handler handler;

    private LogCapture(Logger logger, Level min) {
        this.logger = logger;
        this.handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= min.intValue()) {
                    messages.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
    }

    /** Starts recording what {@code source}'s logger logs at {@code min} or above. */
    static LogCapture of(Class<?> source, Level min) {
        return new LogCapture(Logger.getLogger(source.getName()), min);
    }

    /** The messages recorded so far, oldest first. */
    List<String> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
