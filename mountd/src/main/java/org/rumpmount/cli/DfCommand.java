package org.rumpmount.cli;

import java.io.IOException;
import org.rumpmount.vfs.StatVfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** df: the mounted file system's size and use, in KiB as GNU df prints it. */
@Command(name = "df", description = "Show the file system's size, use and free space (KiB).")
final class DfCommand implements FsCommand {
    @Option(names = "-h", description = "Human-readable sizes.")
    boolean human;

    @Option(names = "-i", description = "Inodes instead of blocks.")
    boolean inodes;

    @Override
    public int run(FsContext ctx) throws IOException {
        StatVfs s = ctx.fs().statvfs();
        ctx.io().out(RawText.ofHost(table(ctx.fsName(), s)));
        return 0;
    }

    String table(String fsName, StatVfs s) {
        String[] head;
        String[] row;
        if (inodes) {
            long used = s.files() - s.filesFree();
            head = new String[] {"Filesystem", "Inodes", "IUsed", "IFree", "IUse%", "Mounted on"};
            row = new String[] {fsName, Long.toString(s.files()), Long.toString(used), Long.toString(s.filesFree()),
                percent(used, s.filesFree()), "/"};
        } else {
            long unit = s.fragmentSize();
            long total = s.blocks() * unit;
            long used = (s.blocks() - s.blocksFree()) * unit;
            long avail = s.blocksAvailable() * unit;
            head = human ? new String[] {"Filesystem", "Size", "Used", "Avail", "Use%", "Mounted on"}
                    : new String[] {"Filesystem", "1K-blocks", "Used", "Available", "Use%", "Mounted on"};
            row = new String[] {fsName, size(total), size(used), size(avail), percent(used, avail), "/"};
        }
        return line(head, head, row) + line(row, head, row);
    }

    private String size(long bytes) {
        return human ? HumanSize.of(bytes) : Long.toString(HumanSize.kibibytes(bytes));
    }

    /** used / (used + available), rounded up, as df computes Use%. */
    static String percent(long used, long avail) {
        long whole = used + avail;
        if (whole <= 0) {
            return "-";
        }
        return (used * 100 + whole - 1) / whole + "%";
    }

    /** First column left-aligned, numbers right-aligned, the last left-aligned. */
    private static String line(String[] cells, String[] head, String[] row) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            int w = Math.max(head[i].length(), row[i].length());
            String c = cells[i];
            if (i == 0) {
                sb.append(c).append(" ".repeat(w - c.length()));
            } else if (i == cells.length - 1) {
                sb.append(' ').append(c);
            } else {
                sb.append(' ').append(" ".repeat(w - c.length())).append(c);
            }
        }
        return sb.append('\n').toString();
    }
}
