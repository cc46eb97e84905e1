package org.rumpmount.block.part;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rumpmount.block.BlockDevice;

/**
 * Detects which partition tables a device holds and reads them into a {@link PartitionTable}.
 *
 * <p>The order follows what the BSD kernels and Linux do. An MBR whose entries include the
 * protective type 0xEE means a GPT (a hybrid MBR's other entries are ignored, as Linux does); any
 * other valid MBR is read with its logical partitions, and its NetBSD (0xA9), FreeBSD (0xA5) and
 * OpenBSD (0xA6) slices are searched for their disklabels. Without an MBR, a disklabel at the
 * start of the disk is read, as NetBSD's {@code readdisklabel} falls back to. A GPT header without
 * a protective MBR is read too, with a warning. When nothing is found, the table is empty: the
 * device is one file system, or blank.
 */
public final class PartitionScanner {
    private static final int GPT_4K = 4096;

    private PartitionScanner() {
    }

    /**
     * Reads every partition table on {@code device}. Fails with a {@link PartitionTableException}
     * when a table is present but unusable (both GPT copies damaged, a looping EBR chain) or the
     * device cannot be read.
     */
    public static PartitionTable scan(BlockDevice device) throws PartitionTableException {
        Scan scan = new Scan(device, device.sectorSize());
        List<Partition> roots = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        if (device.size() >= BootRecord.SIZE) {
            read(scan, roots, tables);
        }
        return new PartitionTable(device.name(), device.size(), roots, tables, scan.warnings);
    }

    private static void read(Scan scan, List<Partition> roots, List<String> tables) throws PartitionTableException {
        BootRecord mbr = BootRecord.decode(scan.read(0, BootRecord.SIZE, "MBR in sector 0"));
        boolean mbrValid = mbr.notATable() == null && mbr.entries().stream().anyMatch(e -> !e.isEmpty());
        int gptSector = gptSectorSize(scan);

        if (mbrValid && mbr.protective()) {
            Scan gpt = gptScan(scan, gptSector);
            roots.addAll(GptReader.read(gpt));
            tables.add("GPT (" + gpt.sectorSize + "-byte sectors) behind a protective MBR");
            return;
        }
        if (mbrValid) {
            if (gptSector != 0) {
                scan.warn("a GPT header lies at LBA 1 but the MBR has no protective 0xEE entry; reading the MBR"
                        + " (the GPT is perhaps stale)");
            }
            List<Partition> primaries = MbrReader.read(scan, mbr);
            roots.addAll(primaries);
            tables.add("MBR (" + scan.sectorSize + "-byte sectors)");
            if (!labels(scan, primaries, tables)) {
                DisklabelReader.Result bare = DisklabelReader.read(scan, null, PartitionScheme.NETBSD_DISKLABEL);
                if (bare != null) {
                    roots.addAll(bare.partitions());
                    tables.add(bare.description());
                }
            }
            return;
        }
        if (gptSector != 0) {
            scan.warn("a GPT header lies at LBA 1 but sector 0 holds no protective MBR (" + describe(mbr)
                    + "); reading the GPT");
            Scan gpt = gptScan(scan, gptSector);
            roots.addAll(GptReader.read(gpt));
            tables.add("GPT (" + gpt.sectorSize + "-byte sectors) without a protective MBR");
            return;
        }
        DisklabelReader.Result bare = DisklabelReader.read(scan, null, PartitionScheme.NETBSD_DISKLABEL);
        if (bare != null) {
            roots.addAll(bare.partitions());
            tables.add(bare.description());
        }
    }

    private static String describe(BootRecord mbr) {
        String why = mbr.notATable();
        return why != null ? why : "every entry is empty";
    }

    /**
     * Reads the disklabel of every BSD slice, logical ones included, into the slice's children;
     * whether any label was found.
     */
    private static boolean labels(Scan scan, List<Partition> partitions, List<String> tables)
            throws PartitionTableException {
        boolean found = false;
        for (Partition p : partitions) {
            if (p.isContainer()) {
                found |= labels(scan, p.children(), tables);
                continue;
            }
            PartitionScheme flavour = flavour(p);
            if (flavour == null || p.problem() != null) {
                continue;
            }
            DisklabelReader.Result r = DisklabelReader.read(scan, p, flavour);
            if (r == null) {
                scan.warn(p.describe() + " (" + p.typeName() + ") holds no " + flavour.displayName());
                continue;
            }
            for (Partition c : r.partitions()) {
                p.addChild(c);
            }
            tables.add(r.description());
            found = true;
        }
        return found;
    }

    private static PartitionScheme flavour(Partition p) {
        if (p.typeCode().equals(PartitionTypes.mbrCode(PartitionTypes.MBR_NETBSD))) {
            return PartitionScheme.NETBSD_DISKLABEL;
        }
        if (p.typeCode().equals(PartitionTypes.mbrCode(PartitionTypes.MBR_FREEBSD))) {
            return PartitionScheme.FREEBSD_DISKLABEL;
        }
        if (p.typeCode().equals(PartitionTypes.mbrCode(PartitionTypes.MBR_OPENBSD))) {
            return PartitionScheme.OPENBSD_DISKLABEL;
        }
        return null;
    }

    /**
     * The sector size at which a GPT header signature appears at LBA 1: the device's, or 4096 on
     * a 512-byte device (an image copied from a disk with 4 KiB logical sectors); 0 when neither.
     */
    private static int gptSectorSize(Scan scan) throws PartitionTableException {
        int[] candidates = scan.sectorSize == 512 ? new int[] {512, GPT_4K} : new int[] {scan.sectorSize};
        for (int s : candidates) {
            if (scan.fits(s, 8)) {
                ByteBuffer sig = scan.read(s, 8, "GPT signature at byte " + s);
                if (GptHeader.hasSignature(sig)) {
                    return s;
                }
            }
        }
        return 0;
    }

    private static Scan gptScan(Scan scan, int gptSector) {
        return gptSector == 0 ? scan : scan.withSectorSize(gptSector);
    }
}
