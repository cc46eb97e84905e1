package org.rumpmount.cli;

import java.io.IOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rumpmount.vfs.DeviceNumbers;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** stat: GNU stat's default format, with numeric ids only. */
@Command(name = "stat", description = "Show a file's attributes in GNU stat's default format (numeric ids).")
final class StatCommand implements FsCommand {
    @Option(names = "-L", description = "Follow symbolic links.")
    boolean follow;

    @Parameters(paramLabel = "PATH", arity = "1..*")
    List<String> paths = new ArrayList<>();

    @Override
    public int run(FsContext ctx) {
        int status = 0;
        for (String arg : paths) {
            String raw = ctx.raw(arg);
            String abs = ctx.resolve(raw);
            try {
                Vattr a = follow ? ctx.fs().stat(abs) : ctx.fs().lstat(abs);
                String target = a.type == VType.VLNK ? RawText.of(ctx.fs().readlink(abs)) : null;
                ctx.io().out(format(raw, target, a, ctx.zone()));
            } catch (IOException e) {
                ctx.warn(raw, e);
                status = 1;
            }
        }
        return status;
    }

    /** The report for one file; {@code target} is a symlink's raw target, else null. */
    static String format(String rawName, String target, Vattr a, ZoneId zone) {
        StringBuilder sb = new StringBuilder();
        sb.append("  File: ").append(rawName);
        if (target != null) {
            sb.append(" -> ").append(target);
        }
        sb.append('\n');
        long blocks = a.bytes <= 0 ? 0 : (a.bytes + 511) / 512;
        sb.append(String.format(Locale.ROOT, "  Size: %-10d\tBlocks: %-10d IO Block: %-6d %s%n",
                a.size, blocks, Math.max(a.blocksize, 0), ModeString.typeWords(a.type, a.size)));
        // The file system id is no host device number: show it as older GNU stat did, hex and decimal.
        long fsid = Math.max(a.fsid, 0);
        String dev = Long.toHexString(fsid) + "h/" + Long.toUnsignedString(fsid) + "d";
        if (a.type == VType.VCHR || a.type == VType.VBLK) {
            sb.append(String.format(Locale.ROOT, "Device: %s\tInode: %-11d Links: %-5d Device type: %d,%d%n",
                    dev, a.fileid, a.nlink, DeviceNumbers.linuxMajor(a.rdev), DeviceNumbers.linuxMinor(a.rdev)));
        } else {
            sb.append(String.format(Locale.ROOT, "Device: %s\tInode: %-11d Links: %d%n", dev, a.fileid, a.nlink));
        }
        sb.append(String.format(Locale.ROOT, "Access: (%04o/%s)  Uid: (%5d)   Gid: (%5d)%n",
                a.mode & 07777, ModeString.of(a.type, a.mode), a.uid, a.gid));
        sb.append("Access: ").append(time(a.atime, zone)).append('\n');
        sb.append("Modify: ").append(time(a.mtime, zone)).append('\n');
        sb.append("Change: ").append(time(a.ctime, zone)).append('\n');
        sb.append(" Birth: ").append(time(a.birthtime, zone)).append('\n');
        return sb.toString().replace(System.lineSeparator(), "\n");
    }

    private static String time(Timespec t, ZoneId zone) {
        return t == null ? "-" : TimeFormats.stat(t, zone);
    }
}
