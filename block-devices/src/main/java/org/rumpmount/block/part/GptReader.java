package org.rumpmount.block.part;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads a GPT: the primary header at LBA 1 and its entry array, both CRC32-checked. When the
 * primary copy is damaged the backup header in the last sector (with its own entry array) is used
 * instead, with a warning; when both are damaged the table is unusable and the error names what is
 * wrong with each.
 */
final class GptReader {
    private static final UUID UNUSED = new UUID(0, 0);
    private static final int NAME_OFFSET = 56;
    private static final int NAME_BYTES = 72;

    private final Scan scan;

    private GptReader(Scan scan) {
        this.scan = scan;
    }

    /** The valid copy's header and entry array, or a reason why this copy is unusable. */
    private record Copy(GptHeader header, ByteBuffer array, String problem) {
    }

    static List<Partition> read(Scan scan) throws PartitionTableException {
        return new GptReader(scan).read();
    }

    private List<Partition> read() throws PartitionTableException {
        long last = scan.sectors - 1;
        Copy primary = copy(1);
        Copy chosen = primary;
        if (primary.problem != null) {
            Copy backup = copy(last);
            if (backup.problem != null) {
                throw new PartitionTableException(scan.name() + ": GPT unusable: primary header at LBA 1: "
                        + primary.problem + "; backup header at LBA " + last + ": " + backup.problem);
            }
            scan.warn("GPT primary header at LBA 1 is damaged (" + primary.problem + "); using the backup header at LBA "
                    + last);
            chosen = backup;
        } else {
            checkBackup(primary.header, last);
        }
        if (chosen.header.lastUsable() >= scan.sectors) {
            scan.warn("the GPT's usable range ends at LBA " + chosen.header.lastUsable() + ", past the end of the disk ("
                    + scan.sectors + " sectors); the image is perhaps truncated");
        }
        return entries(chosen.header, chosen.array);
    }

    /** Warns when the backup copy is missing or damaged: the next damage to the primary would then lose the table. */
    private void checkBackup(GptHeader primary, long last) throws PartitionTableException {
        long alt = primary.alternateLba();
        if (alt != last) {
            scan.warn("GPT primary header places the backup header at LBA " + alt + ", not in the last sector (LBA "
                    + last + "); the disk was perhaps resized");
            if (alt < 1 || alt > last) {
                return;
            }
        }
        Copy backup = copy(alt);
        if (backup.problem != null) {
            scan.warn("GPT backup header at LBA " + alt + " is damaged (" + backup.problem + "); the primary is intact");
        }
    }

    private Copy copy(long lba) throws PartitionTableException {
        if (lba < 1 || lba >= scan.sectors) {
            return new Copy(null, null, "LBA " + lba + " is outside the disk");
        }
        ByteBuffer sector = scan.read(lba * scan.sectorSize, scan.sectorSize, "GPT header at LBA " + lba);
        String problem = GptHeader.problem(sector, lba, scan.sectors);
        if (problem != null) {
            return new Copy(null, null, problem);
        }
        GptHeader h = GptHeader.decode(sector);
        ByteBuffer array = scan.read(h.entriesLba() * scan.sectorSize, h.arrayBytes(),
                "GPT entry array at LBA " + h.entriesLba());
        long computed = GptHeader.crc(array, h.arrayBytes(), -1);
        if (computed != h.entriesCrc()) {
            return new Copy(null, null, String.format("entry array CRC32 0x%08x does not match the computed 0x%08x",
                    h.entriesCrc(), computed));
        }
        return new Copy(h, array, null);
    }

    private List<Partition> entries(GptHeader h, ByteBuffer array) {
        List<Partition> out = new ArrayList<>();
        ByteBuffer b = array.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < h.entryCount(); i++) {
            int at = (int) (i * h.entrySize());
            UUID type = GptHeader.guid(b, at);
            if (type.equals(UNUSED)) {
                continue;
            }
            int number = i + 1;
            long first = b.getLong(at + 32);
            long lastLba = b.getLong(at + 40);
            String name = name(b, at + NAME_OFFSET);
            String where = "GPT entry " + number + (name.isEmpty() ? "" : " \"" + name + "\"");
            String problem = null;
            if (first < 0 || lastLba < first) {
                problem = where + " ends at LBA " + lastLba + ", before its start at LBA " + first;
            } else if (lastLba >= scan.sectors) {
                problem = where + " spans LBA " + first + " to " + lastLba + ", past the end of the disk ("
                        + scan.sectors + " sectors of " + scan.sectorSize + " bytes)";
            } else if (first < h.firstUsable() || lastLba > h.lastUsable()) {
                scan.warn(where + " spans LBA " + first + " to " + lastLba + ", outside the usable range LBA "
                        + h.firstUsable() + " to " + h.lastUsable());
            }
            if (problem != null) {
                scan.warn(problem);
            }
            // Values from a damaged entry can be anything; the byte figures saturate rather than wrap.
            long size = lastLba < first ? 0 : bytes(lastLba - first + 1);
            out.add(new Partition(PartitionScheme.GPT, number, Integer.toString(number), name,
                    PartitionTypes.gptName(type), type.toString(), bytes(first), size, false, false, null, problem));
        }
        return out;
    }

    private long bytes(long lbas) {
        return lbas < 0 || lbas > Long.MAX_VALUE / scan.sectorSize ? Long.MAX_VALUE : lbas * scan.sectorSize;
    }

    /** The entry's name: up to 36 UTF-16LE code units, ending at the first NUL. */
    private static String name(ByteBuffer b, int at) {
        int len = 0;
        while (len < NAME_BYTES && (b.get(at + len) != 0 || b.get(at + len + 1) != 0)) {
            len += 2;
        }
        byte[] bytes = new byte[len];
        b.duplicate().position(at).get(bytes);
        return new String(bytes, StandardCharsets.UTF_16LE);
    }
}
