package org.rumpmount.cli;

import java.util.Set;

/**
 * The calling convention of mount(8)'s FUSE helper: {@code mount -t fuse.rumpmount IMAGE DIR -o
 * opts} makes mount.fuse3 run {@code rumpmount IMAGE DIR -o opts}. Such a command line, whose
 * first argument is neither an option nor a command name, is {@code rumpmount mount} in disguise.
 */
final class MountHelperForm {
    private MountHelperForm() {
    }

    /** {@code args}, with "mount" put in front when they are in the helper's form. */
    static String[] rewrite(Set<String> commands, String[] args) {
        if (args.length < 2 || args[0].startsWith("-") || commands.contains(args[0])) {
            return args;
        }
        int operands = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-o")) {
                i++;
            } else if (!args[i].startsWith("-")) {
                operands++;
            }
        }
        if (operands != 2) {
            return args;
        }
        String[] out = new String[args.length + 1];
        out[0] = "mount";
        System.arraycopy(args, 0, out, 1, args.length);
        return out;
    }
}
