package org.rumpmount.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.block.FileBlockDevice;
import org.rumpmount.block.part.ImageSpec;
import org.rumpmount.block.part.Partition;
import org.rumpmount.block.part.PartitionScanner;
import org.rumpmount.block.part.PartitionSelector;
import org.rumpmount.block.part.PartitionTable;
import org.rumpmount.block.part.PartitionTableException;
import org.rumpmount.vfs.DriverRegistry;

/**
 * An image argument opened as the device a file system lives on: the whole file, or one
 * partition of it. The partition is the one the user names ({@code IMAGE@SEL} or
 * {@code part=SEL}); without one, a partitioned disk whose partitions hold exactly one file
 * system that a driver recognises gives that partition, so {@code rumpmount ls disk.img /} works
 * on a disk with one NetBSD partition, while a disk with several fails with the list to choose
 * from. A device with no partition table is used whole.
 *
 * <p>Damage the partition table survived (a GPT read from its backup, overlapping entries,
 * entries past the end of the disk) comes back as {@link #warnings()}, for the command to show.
 *
 * <p>Closing closes the partition window, then flushes and closes the file.
 */
final class ImageDevice implements AutoCloseable {
    private final BlockDevice whole;
    private final BlockDevice device;
    private final String name;
    private final List<String> warnings;

    private ImageDevice(BlockDevice whole, BlockDevice device, String name, List<String> warnings) {
        this.whole = whole;
        this.device = device;
        this.name = name;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Opens {@code imageArg} (IMAGE or IMAGE@SEL) with {@code partOption} (the value of
     * part=, if given). {@code type} is the -t type ("auto" for any driver), which narrows the
     * automatic choice of a partition to those holding that type.
     */
    static ImageDevice open(String imageArg, Optional<String> partOption, boolean readOnly, DriverRegistry drivers,
            String type) throws CommandFailure {
        ImageSpec spec;
        try {
            spec = ImageSpec.parse(imageArg);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
        if (spec.selector().isPresent() && partOption.isPresent()) {
            throw CommandFailure.usage("partition given twice: " + imageArg + " and part=" + partOption.get());
        }
        PartitionSelector sel = spec.selector().orElse(null);
        if (sel == null && partOption.isPresent()) {
            try {
                sel = PartitionSelector.parse(partOption.get());
            } catch (IllegalArgumentException e) {
                throw CommandFailure.usage(e.getMessage());
            }
        }
        String image = spec.image();
        BlockDevice whole = openFile(image, readOnly);
        try {
            if (sel != null) {
                PartitionTable table = PartitionScanner.scan(whole);
                Partition p = sel.select(table);
                return new ImageDevice(whole, table.open(whole, p, readOnly), image + "@" + sel.text(), table.warnings());
            }
            return autodetect(whole, image, readOnly, drivers, type);
        } catch (PartitionTableException e) {
            closeQuietly(whole, e);
            throw new CommandFailure(RawText.ofHost(e.getMessage()));
        } catch (CommandFailure | RuntimeException e) {
            closeQuietly(whole, e);
            throw e;
        }
    }

    /** Opens the image file (or device) whole; the message names it and says why it cannot. */
    static BlockDevice openFile(String image, boolean readOnly) throws CommandFailure {
        Path p = Path.of(image);
        if (Files.isDirectory(p)) {
            throw new CommandFailure(RawText.ofHost(image + ": Is a directory"));
        }
        try {
            return FileBlockDevice.open(p, readOnly);
        } catch (IOException e) {
            String why = HostErrors.describe(e);
            if (!readOnly && why.toLowerCase().contains("lock")) {
                why += " (is it mounted read-write already? an image is served by one read-write mount at a time)";
            }
            throw new CommandFailure(RawText.ofHost(image + ": " + why));
        }
    }

    private static ImageDevice autodetect(BlockDevice whole, String image, boolean readOnly, DriverRegistry drivers,
            String type) throws PartitionTableException, CommandFailure {
        PartitionTable table;
        try {
            table = PartitionScanner.scan(whole);
        } catch (PartitionTableException e) {
            // A damaged table over a file system that a driver still recognises: use the file system.
            if (!matches(drivers, whole, type).isEmpty()) {
                return new ImageDevice(whole, whole, image, List.of(e.getMessage()
                        + "; ignored, since the whole image holds a file system"));
            }
            throw e;
        }
        if (table.partitions().isEmpty()) {
            return new ImageDevice(whole, whole, image, table.warnings());
        }
        List<Detected> found = new ArrayList<>();
        for (Detected d : detect(table, whole, drivers)) {
            if (d.matches().stream().anyMatch(m -> "auto".equals(type) || m.driver().name().equals(type))) {
                found.add(d);
            }
        }
        if (found.size() == 1) {
            Partition p = found.get(0).partition();
            return new ImageDevice(whole, table.open(whole, p, readOnly), image + "@" + p.number(), table.warnings());
        }
        if (found.size() > 1) {
            StringBuilder sb = new StringBuilder(image + ": " + found.size() + " partitions hold a file system; choose"
                    + " one with " + image + "@N or -o part=N:");
            for (Detected d : found) {
                sb.append("\n  ").append(d.line());
            }
            throw new CommandFailure(RawText.ofHost(sb.toString()));
        }
        // A disklabel in the boot area of a bare file system, or partitions none of which a driver knows.
        if (!matches(drivers, whole, type).isEmpty()) {
            return new ImageDevice(whole, whole, image, table.warnings());
        }
        StringBuilder sb = new StringBuilder(image + ": no partition holds a file system "
                + ("auto".equals(type) ? "that a driver recognises" : "of type " + type) + "; the partitions are:");
        for (Detected d : detect(table, whole, drivers)) {
            sb.append("\n  ").append(d.line());
        }
        throw new CommandFailure(RawText.ofHost(sb.toString()));
    }

    private static List<DriverRegistry.Match> matches(DriverRegistry drivers, BlockDevice dev, String type) {
        try {
            return drivers.probe(dev).stream()
                    .filter(m -> "auto".equals(type) || m.driver().name().equals(type)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A partition, what drivers recognise in it, and why it could not be probed (or null). */
    record Detected(Partition partition, List<DriverRegistry.Match> matches, String error) {
        /** "2  MBR partition 2, Linux (0x83), 16M: ffs (FFSv2 ...)": number, entry, type, size, file system. */
        String line() {
            Partition p = partition;
            StringBuilder sb = new StringBuilder();
            sb.append(p.number()).append("  ").append(p.describe()).append(", ").append(p.typeName())
                    .append(", ").append(HumanSize.of(p.size())).append(": ").append(fileSystem());
            return sb.toString();
        }

        /** The file systems found, "ffs (FFSv2 ...)", or why there is none to show. */
        String fileSystem() {
            if (error != null) {
                return error;
            }
            if (matches.isEmpty()) {
                return "no file system recognised";
            }
            return String.join("; ", matches.stream()
                    .map(m -> m.result().type() + " (" + m.result().description() + ")").toList());
        }
    }

    /**
     * Probes every partition that can hold a file system of its own: not an extended partition,
     * not a disklabel's raw partition (which covers the others), not a slice whose disklabel
     * describes its contents, and not one the table places outside the disk.
     */
    static List<Detected> detect(PartitionTable table, BlockDevice whole, DriverRegistry drivers) {
        List<Detected> out = new ArrayList<>();
        for (Partition p : table.partitions()) {
            String skip = p.problem() != null ? "unusable: " + p.problem()
                    : p.isContainer() ? "extended partition"
                    : p.isRaw() ? "raw partition (the whole disk or slice)"
                    : !p.children().isEmpty() ? "holds a disklabel"
                    : null;
            if (skip != null) {
                out.add(new Detected(p, List.of(), skip));
                continue;
            }
            try (BlockDevice w = table.open(whole, p, true)) {
                out.add(new Detected(p, drivers.probe(w), null));
            } catch (IOException e) {
                out.add(new Detected(p, List.of(), "cannot probe: " + HostErrors.detail(e)));
            }
        }
        return out;
    }

    /** The device the file system lives on: the whole image, or a window over the partition. */
    BlockDevice device() {
        return device;
    }

    /** What was wrong with the partition table, though not enough to refuse the image; one message each. */
    List<String> warnings() {
        return warnings;
    }

    /** The image as messages and df name it: "disk.img", or "disk.img@2" for a partition. */
    String name() {
        return name;
    }

    /** Closes the window (if any), then flushes and closes the image file. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        if (device != whole) {
            device.close();
        }
        try {
            whole.flush();
        } catch (IOException e) {
            first = e;
        }
        try {
            whole.close();
        } catch (IOException e) {
            if (first == null) {
                first = e;
            } else {
                first.addSuppressed(e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void closeQuietly(BlockDevice dev, Throwable primary) {
        try {
            dev.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}
