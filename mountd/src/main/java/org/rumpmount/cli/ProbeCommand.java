package org.rumpmount.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.block.part.Partition;
import org.rumpmount.block.part.PartitionScanner;
import org.rumpmount.block.part.PartitionScheme;
import org.rumpmount.block.part.PartitionTable;
import org.rumpmount.block.part.PartitionTableException;
import org.rumpmount.vfs.DriverRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * rumpmount probe: what an image holds. The partition tables as a tree, each partition with the
 * file system a driver recognises in it, and the table's warnings; for an image without a table,
 * one line for the whole device. The numbers shown are those IMAGE@N and part=N take.
 */
@Command(name = "probe",
        description = {"Show the partition tables of IMAGE and the file system found in each partition:",
            "number (as IMAGE@N and -o part=N take it), entry, type, offset and size in bytes, and the",
            "file system type with what its driver reads from it. An image without a partition table",
            "gets one line for the whole device. Exit 1 when a table is damaged beyond use."})
final class ProbeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image file or device.")
    String image;

    private final Io io;

    ProbeCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws CommandFailure, IOException {
        DriverRegistry drivers = DriverRegistry.load();
        try (BlockDevice whole = ImageDevice.openFile(image, true)) {
            PartitionTable table;
            try {
                table = PartitionScanner.scan(whole);
            } catch (PartitionTableException e) {
                throw new CommandFailure(RawText.ofHost(e.getMessage()));
            }
            io.out(RawText.ofHost(render(table, whole, drivers)));
            io.flush();
            return ExitCodes.OK;
        }
    }

    /** The listing, one line per table, partition and warning. */
    static String render(PartitionTable table, BlockDevice whole, DriverRegistry drivers) {
        StringBuilder sb = new StringBuilder();
        sb.append(table.deviceName()).append(": ").append(whole.size()).append(" bytes (")
                .append(HumanSize.of(whole.size())).append(")\n");
        if (table.partitions().isEmpty()) {
            for (String t : table.tables()) {
                sb.append("  ").append(t).append(", no partitions\n");
            }
            sb.append("  whole device: ").append(wholeDevice(whole, drivers)).append('\n');
        } else {
            for (String t : table.tables()) {
                sb.append("  ").append(t).append('\n');
            }
            List<ImageDevice.Detected> found = ImageDevice.detect(table, whole, drivers);
            List<String[]> rows = new ArrayList<>();
            int entryWidth = "entry".length();
            int typeWidth = "type".length();
            for (ImageDevice.Detected d : found) {
                Partition p = d.partition();
                int depth = 0;
                for (Partition q = p.parent(); q != null; q = q.parent()) {
                    depth++;
                }
                String[] row = {"  ".repeat(depth) + entry(p), p.typeName() + " (" + code(p) + ")"};
                entryWidth = Math.max(entryWidth, row[0].length());
                typeWidth = Math.max(typeWidth, row[1].length());
                rows.add(row);
            }
            String format = "  %3s  %-" + entryWidth + "s  %-" + typeWidth + "s  %12s %12s  %s\n";
            sb.append(String.format(format, "#", "entry", "type", "offset", "size", "file system"));
            for (int i = 0; i < found.size(); i++) {
                ImageDevice.Detected d = found.get(i);
                Partition p = d.partition();
                sb.append(String.format(format, p.number(), rows.get(i)[0], rows.get(i)[1], p.offset(), p.size(),
                        d.fileSystem()));
            }
        }
        for (String w : table.warnings()) {
            sb.append("  warning: ").append(w).append('\n');
        }
        return sb.toString();
    }

    /** "mbr1", "gpt2 "root"", "a": the entry in its own table's terms. */
    private static String entry(Partition p) {
        String e = p.scheme() == PartitionScheme.MBR ? "mbr" + p.entry()
                : p.scheme() == PartitionScheme.GPT ? "gpt" + p.entry() : p.entry();
        return p.label().isEmpty() ? e : e + " \"" + p.label() + "\"";
    }

    /** The stored type; a GPT GUID is cut to its first group, the name says the rest. */
    private static String code(Partition p) {
        String c = p.typeCode();
        return c.length() > 13 ? c.substring(0, 8) + "..." : c;
    }

    private static String wholeDevice(BlockDevice whole, DriverRegistry drivers) {
        try {
            List<DriverRegistry.Match> m = drivers.probe(whole);
            if (m.isEmpty()) {
                return "no file system recognised";
            }
            return String.join("; ", m.stream().map(x -> x.result().type() + " (" + x.result().description() + ")")
                    .toList());
        } catch (IOException e) {
            return "cannot probe: " + HostErrors.detail(e);
        }
    }
}
