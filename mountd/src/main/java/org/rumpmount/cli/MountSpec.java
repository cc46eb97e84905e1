package org.rumpmount.cli;

import java.util.Optional;
import org.rumpmount.vfs.MountOptions;

/**
 * The -o argument parsed: "ro", "rw" and "force" are the kernel's own options, "part=SEL" picks a
 * partition of the image (see {@link ImageDevice}), anything else is handed to the driver as
 * key=value ("size=64m"), or key with an empty value.
 */
final class MountSpec {
    private MountSpec() {
    }

    /** Whether -o says ro or rw; null when it says neither. */
    static Boolean readOnly(String options) {
        Boolean ro = null;
        for (String o : split(options)) {
            if (o.equals("ro")) {
                ro = true;
            } else if (o.equals("rw")) {
                ro = false;
            }
        }
        return ro;
    }

    /** The partition part= names (the last one given), if any; part without a value is refused. */
    static Optional<String> partition(String options) {
        Optional<String> part = Optional.empty();
        for (String o : split(options)) {
            if (o.equals("part") || o.equals("part=")) {
                throw new IllegalArgumentException("mount option '" + o + "' needs a value: a partition number,"
                        + " disklabel letter or GPT partition name, e.g. part=1");
            }
            if (o.startsWith("part=")) {
                part = Optional.of(o.substring("part=".length()));
            }
        }
        return part;
    }

    /** The mount options, read-only as {@code readOnly} says; part= is the device's, not the driver's. */
    static MountOptions build(String options, boolean readOnly) {
        MountOptions.Builder b = MountOptions.builder().readOnly(readOnly);
        for (String o : split(options)) {
            if (o.equals("ro") || o.equals("rw") || o.startsWith("part=")) {
                continue;
            }
            if (o.equals("force")) {
                b.force(true);
                continue;
            }
            int eq = o.indexOf('=');
            if (eq == 0) {
                throw new IllegalArgumentException("mount option without a name: '" + o + "'");
            }
            b.option(eq < 0 ? o : o.substring(0, eq), eq < 0 ? "" : o.substring(eq + 1));
        }
        return b.build();
    }

    private static String[] split(String options) {
        if (options == null || options.isEmpty()) {
            return new String[0];
        }
        return options.split(",");
    }
}
