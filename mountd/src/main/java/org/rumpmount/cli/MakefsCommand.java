package org.rumpmount.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rumpmount.fs.ffs.makefs.Makefs;
import org.rumpmount.fs.ffs.makefs.MakefsOptions;
import org.rumpmount.fs.ffs.newfs.NewfsLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** rumpmount makefs: an FFS image built from a host directory tree, like NetBSD's makefs. */
@Command(name = "makefs",
        description = {"Build an FFS image from a host directory tree, like NetBSD's makefs: modes, owners, times, "
                + "symbolic links, hard links, devices and FIFOs are kept.",
            "Without -s the size is computed from the tree; with -s a tree that does not fit is an error naming the size it needs."})
final class MakefsCommand implements Callable<Integer> {
    private final Io io;

    @Option(names = "-o", paramLabel = "OPTS", split = ",",
            description = "FFS options: version=1|2 (default 2), bsize=N, fsize=N, minfree=N.")
    java.util.List<String> ffsOptions = new java.util.ArrayList<>();

    @Option(names = "-s", paramLabel = "SIZE", description = "Fixed image size (512-byte sectors, or with b, k, m, g, t).")
    String size;

    @Option(names = "-B", paramLabel = "le|be", description = "Byte order (default little-endian).")
    String byteOrder;

    @Option(names = "-t", paramLabel = "ffs", description = "File system type; only ffs.")
    String type = "ffs";

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image file to write (replaced if it exists).")
    Path image;

    @Parameters(index = "1", paramLabel = "DIRECTORY", description = "The host directory tree to copy in.")
    Path source;

    MakefsCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException, CommandFailure {
        if (!"ffs".equals(type)) {
            throw CommandFailure.usage("-t " + type + ": only ffs images can be made");
        }
        if (!Files.isDirectory(source)) {
            throw new CommandFailure(RawText.ofHost(source + ": not a directory"));
        }
        MakefsOptions.Builder b = MakefsOptions.builder();
        int bsize = 0;
        int fsize = 0;
        try {
            for (String o : ffsOptions) {
                int eq = o.indexOf('=');
                String key = eq < 0 ? o : o.substring(0, eq);
                String value = eq < 0 ? "" : o.substring(eq + 1);
                switch (key.toLowerCase(Locale.ROOT)) {
                    case "version" -> b.version(Integer.parseInt(value));
                    case "bsize" -> bsize = Integer.parseInt(value);
                    case "fsize" -> fsize = Integer.parseInt(value);
                    case "minfree" -> b.minfree(Integer.parseInt(value));
                    default -> throw new IllegalArgumentException("-o " + o + ": unknown option (version, bsize, fsize, minfree)");
                }
            }
            if (bsize != 0 || fsize != 0) {
                int bs = bsize != 0 ? bsize : 8 * fsize;
                b.blockSize(bs, fsize != 0 ? fsize : bs / 8);
            }
            if (byteOrder != null) {
                b.byteOrder(ByteOrders.parse(byteOrder, "-B"));
            }
            if (size != null) {
                b.sizeBytes(SizeArg.parse(size, "-s"));
            }
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
        boolean terminal = io.interactive();
        b.progress((done, total, path) -> {
            if (terminal && total > 0) {
                int pct = (int) (100 * done / total);
                io.err(RawText.ofHost(String.format(Locale.ROOT, "\r[%-40s] %3d%% %d/%d", "#".repeat(pct * 40 / 100), pct, done, total)));
            }
        });
        NewfsLayout l = Makefs.build(source, image, b.build());
        if (terminal) {
            io.err(RawText.ofHost("\n"));
        }
        io.out(RawText.ofHost(String.format(Locale.ROOT, "%s: %d bytes, UFS%d, block size %d, fragment size %d, %d cylinder groups%n",
                image, l.size() * l.fsize(), l.ufs2() ? 2 : 1, l.bsize(), l.fsize(), l.ncg())));
        io.flush();
        return ExitCodes.OK;
    }
}
