package org.rumpmount.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.rumpmount.vfs.DeviceNumbers;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** ls: one entry per line, names sorted by their bytes; -l in the long format of GNU ls. */
@Command(name = "ls", description = "List directory contents, one name per line, sorted by name bytes.")
final class LsCommand implements FsCommand {
    @Option(names = "-l", description = "Long format: mode, links, uid, gid, size (or major, minor), mtime, name.")
    boolean longFormat;

    @Option(names = "-a", description = "Include names starting with '.', and . and ..")
    boolean all;

    @Option(names = "-d", description = "List directories themselves, not their contents.")
    boolean directory;

    @Option(names = "-R", description = "List subdirectories recursively.")
    boolean recursive;

    @Option(names = "-i", description = "Print each file's inode number.")
    boolean inode;

    @Option(names = "-O", description = "With -l, show file flags after the group (NetBSD ls -lo, macOS ls -lO; \"-\" for none).")
    boolean flags;

    @Option(names = "-n", description = "Numeric uid and gid (always the case: the image's ids name no host user).")
    boolean numeric;

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "What to list (default: the working directory).")
    List<String> paths = new ArrayList<>();

    /** One line to print: its name as shown, where it is, its attributes (null for a short listing). */
    private record Row(String shown, String abs, long fileid, VType type, Vattr attr) {
    }

    @Override
    public int run(FsContext ctx) throws IOException {
        PathFacade fs = ctx.fs();
        int status = 0;
        List<Row> files = new ArrayList<>();
        List<Row> dirs = new ArrayList<>();
        List<String> operands = paths.isEmpty() ? List.of(".") : paths;
        for (String arg : operands) {
            String raw = ctx.raw(arg);
            String abs = ctx.resolve(raw);
            try {
                Vattr a = fs.lstat(abs);
                if (a.type == VType.VLNK && !longFormat && !directory) {
                    try {
                        Vattr target = fs.stat(abs);
                        if (target.type == VType.VDIR) {
                            a = target;
                        }
                    } catch (IOException dangling) {
                        // a dangling link lists as itself
                    }
                }
                (a.type == VType.VDIR && !directory ? dirs : files).add(new Row(raw, abs, a.fileid, a.type, a));
            } catch (IOException e) {
                ctx.warn(raw, e);
                status = 1;
            }
        }
        Comparator<Row> byName = Comparator.comparing(Row::shown);
        files.sort(byName);
        dirs.sort(byName);
        print(ctx, files);
        boolean headers = operands.size() > 1 || recursive;
        boolean first = files.isEmpty();
        for (Row d : dirs) {
            status |= listDirectory(ctx, d.shown, d.abs, headers, first);
            first = false;
        }
        return status;
    }

    private int listDirectory(FsContext ctx, String shown, String abs, boolean header, boolean first) {
        Io io = ctx.io();
        if (!first) {
            io.out("\n");
        }
        if (header) {
            io.out(shown + ":\n");
        }
        int status = 0;
        List<Dirent> entries;
        try {
            entries = Entries.of(ctx.fs(), abs, all);
        } catch (IOException e) {
            ctx.warn(shown, e);
            return 1;
        }
        List<Row> rows = new ArrayList<>();
        for (Dirent d : entries) {
            String name = Entries.name(d);
            if (!all && name.startsWith(".")) {
                continue;
            }
            String childAbs = FsContext.join(abs, name);
            Vattr a = null;
            if (longFormat || (recursive && d.type() == VType.VNON)) {
                try {
                    a = ctx.fs().lstat(childAbs);
                } catch (IOException e) {
                    ctx.warn(FsContext.join(shown, name), e);
                    status = 1;
                    continue;
                }
            }
            rows.add(a == null ? new Row(name, childAbs, d.fileid(), d.type(), null) : new Row(name, childAbs, a.fileid, a.type, a));
        }
        if (longFormat) {
            long blocks = 0;
            for (Row r : rows) {
                blocks += sectors(r.attr);
            }
            io.out("total " + (blocks + 1) / 2 + "\n");
        }
        print(ctx, rows);
        if (recursive) {
            for (Row r : rows) {
                if (r.type == VType.VDIR && !r.shown.equals(".") && !r.shown.equals("..")) {
                    status |= listDirectory(ctx, FsContext.join(shown, r.shown), r.abs, true, false);
                }
            }
        }
        return status;
    }

    /** 512-byte units of storage, as st_blocks. */
    private static long sectors(Vattr a) {
        return a.bytes <= 0 ? 0 : (a.bytes + 511) / 512;
    }

    private void print(FsContext ctx, List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Io io = ctx.io();
        int inoWidth = 0;
        for (Row r : rows) {
            inoWidth = Math.max(inoWidth, Long.toString(r.fileid).length());
        }
        if (!longFormat) {
            for (Row r : rows) {
                io.out((inode ? pad(Long.toString(r.fileid), inoWidth) + " " : "") + r.shown + "\n");
            }
            return;
        }
        Timespec now = ctx.now();
        int linkW = 0;
        int uidW = 0;
        int gidW = 0;
        int majW = 0;
        int minW = 0;
        int flagsW = 0;
        for (Row r : rows) {
            Vattr a = r.attr;
            flagsW = Math.max(flagsW, FileFlagNames.show(a.flags == Vattr.VNOVAL ? 0 : a.flags).length());
            linkW = Math.max(linkW, Long.toString(a.nlink).length());
            uidW = Math.max(uidW, Long.toString(a.uid).length());
            gidW = Math.max(gidW, Long.toString(a.gid).length());
            if (isDevice(a)) {
                majW = Math.max(majW, Long.toString(DeviceNumbers.linuxMajor(a.rdev)).length());
                minW = Math.max(minW, Long.toString(DeviceNumbers.linuxMinor(a.rdev)).length());
            }
        }
        List<String> sizes = new ArrayList<>();
        int sizeW = 0;
        for (Row r : rows) {
            String size = sizeColumn(r.attr, majW, minW);
            sizes.add(size);
            sizeW = Math.max(sizeW, size.length());
        }
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            Vattr a = r.attr;
            StringBuilder line = new StringBuilder();
            if (inode) {
                line.append(pad(Long.toString(r.fileid), inoWidth)).append(' ');
            }
            line.append(ModeString.of(a.type, a.mode)).append(' ')
                    .append(pad(Long.toString(a.nlink), linkW)).append(' ')
                    .append(pad(Long.toString(a.uid), uidW)).append(' ')
                    .append(pad(Long.toString(a.gid), gidW)).append(' ');
            if (flags) {
                String f = FileFlagNames.show(a.flags == Vattr.VNOVAL ? 0 : a.flags);
                line.append(f).append(" ".repeat(flagsW - f.length())).append(' ');
            }
            line.append(pad(sizes.get(i), sizeW)).append(' ')
                    .append(a.mtime == null ? "?" : TimeFormats.listing(a.mtime, now, ctx.zone())).append(' ')
                    .append(r.shown);
            if (a.type == VType.VLNK) {
                try {
                    line.append(" -> ").append(RawText.of(ctx.fs().readlink(r.abs)));
                } catch (IOException e) {
                    ctx.warn(r.shown, e);
                }
            }
            io.out(line.append('\n').toString());
        }
    }

    private static boolean isDevice(Vattr a) {
        return a.type == VType.VCHR || a.type == VType.VBLK;
    }

    /** The size, or for a device "major, minor", each number right-aligned in its own width as GNU ls does. */
    static String sizeColumn(Vattr a, int majorWidth, int minorWidth) {
        if (isDevice(a)) {
            return pad(Long.toString(DeviceNumbers.linuxMajor(a.rdev)), majorWidth) + ", "
                    + pad(Long.toString(DeviceNumbers.linuxMinor(a.rdev)), minorWidth);
        }
        return Long.toString(a.size);
    }

    private static String pad(String s, int width) {
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }
}
