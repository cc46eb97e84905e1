package org.rumpmount.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.rumpmount.vfs.DeviceNumbers;
import org.rumpmount.vfs.VType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * mknod NAME TYPE [MAJOR MINOR]: a block (b) or character (c, u) device, or a FIFO (p). The file
 * system stores the numbers in its own form: FFS as NetBSD's 32-bit dev_t (makedev: major up to
 * 4095, minor up to 1048575); a number it cannot hold is refused.
 */
@Command(name = "mknod", description = "Make a block (b) or character (c) device with MAJOR and MINOR, "
        + "or a FIFO (p); mode 0644 unless -m.")
final class MknodCommand implements FsCommand {
    @Option(names = "-m", paramLabel = "MODE", description = "Mode, octal or symbolic (relative to a=rw).")
    String mode;

    @Parameters(paramLabel = "NAME TYPE [MAJOR MINOR]", arity = "2..4")
    List<String> args = new ArrayList<>();

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public int run(FsContext ctx) throws CommandFailure {
        String raw = ctx.raw(args.get(0));
        VType type = switch (args.get(1)) {
            case "b" -> VType.VBLK;
            case "c", "u" -> VType.VCHR;
            case "p" -> VType.VFIFO;
            default -> throw CommandFailure.usage("invalid device type '" + args.get(1) + "': b, c, u or p");
        };
        long rdev = 0;
        if (type == VType.VFIFO) {
            if (args.size() != 2) {
                throw CommandFailure.usage("a FIFO takes no device numbers");
            }
        } else {
            if (args.size() != 4) {
                throw CommandFailure.usage("a " + (type == VType.VBLK ? "block" : "character")
                        + " device needs MAJOR and MINOR");
            }
            rdev = DeviceNumbers.linux(number("major", args.get(2)), number("minor", args.get(3)));
        }
        int bits = NodeModes.of(mode);
        try {
            NodeModes.make(ctx, ctx.resolve(raw), type, bits, rdev, mode != null);
        } catch (IOException e) {
            throw FsContext.failure(raw, e);
        }
        return 0;
    }

    /** A device number as strtoul(3) with base 0 reads it: decimal, 0x hexadecimal or 0 octal. */
    static long number(String what, String s) throws CommandFailure {
        try {
            long v;
            if (s.startsWith("0x") || s.startsWith("0X")) {
                v = Long.parseLong(s.substring(2), 16);
            } else if (s.length() > 1 && s.startsWith("0")) {
                v = Long.parseLong(s.substring(1), 8);
            } else {
                v = Long.parseLong(s);
            }
            if (v < 0 || v > 0xffffffffL) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw CommandFailure.usage("invalid " + what + " device number '" + s + "'");
        }
    }
}
