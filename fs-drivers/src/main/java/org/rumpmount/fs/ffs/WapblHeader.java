package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The header of a WAPBL journal (NetBSD's {@code struct wapbl_wc_header}, sys/sys/wapbl_replay.h).
 * The journal is this header, kept twice in its first two log blocks (the copy with the higher
 * generation is current), followed by a circular region of records. {@code head} and
 * {@code tail} are byte offsets from the journal's start: both 0 means the journal is empty;
 * anything else means it holds transactions that replay would write into the file system.
 * The kernel writes it in its own byte order, which is the file system's (NetBSD journals no
 * byte-swapped volume).
 */
final class WapblHeader {
    /** wc_type of a header: "WABL". */
    static final int WAPBL_WC_HEADER = 0x5741424c;
    /** The bytes of the fields below. */
    static final int SIZE = 80;

    final int type;
    final int len;
    final long generation;
    final int logDevBshift;
    final int fsDevBshift;
    final long head;
    final long tail;
    final long circOff;
    final long circSize;

    private WapblHeader(ByteBuffer b, int at) {
        type = b.getInt(at);
        len = b.getInt(at + 4);
        generation = b.getInt(at + 12) & 0xffffffffL;
        logDevBshift = b.getInt(at + 40);
        fsDevBshift = b.getInt(at + 44);
        head = b.getLong(at + 48);
        tail = b.getLong(at + 56);
        circOff = b.getLong(at + 64);
        circSize = b.getLong(at + 72);
    }

    /** The header at byte {@code at} of {@code b}, read in {@code order}. */
    static WapblHeader decode(ByteBuffer b, int at, ByteOrder order) {
        return new WapblHeader(b.duplicate().order(order), at);
    }

    boolean hasMagic() {
        return type == WAPBL_WC_HEADER;
    }

    /** wapbl_space_used is 0: no record between tail and head. */
    boolean isEmpty() {
        return head == 0 && tail == 0;
    }

    /**
     * What is wrong with the circular region's description for a journal of {@code bytes}
     * bytes, or null: head and tail must lie inside the region, and the region inside the journal.
     */
    String inconsistency(long bytes) {
        if (circOff < SIZE || circSize <= 0 || circOff > bytes || circSize > bytes - circOff) {
            return "its circular region (offset " + circOff + ", " + circSize + " bytes) does not fit the journal's "
                    + bytes + " bytes";
        }
        if (!isEmpty() && (head < circOff || head >= circOff + circSize || tail < circOff || tail >= circOff + circSize)) {
            return "head " + head + " or tail " + tail + " lies outside its circular region (offset " + circOff + ", "
                    + circSize + " bytes)";
        }
        return null;
    }

    /** Writes a header: for tests that build a journaled image, and the write side to come. */
    static void encode(ByteBuffer b, int at, ByteOrder order, long generation, int logDevBshift, int fsDevBshift,
            long head, long tail, long circOff, long circSize) {
        ByteBuffer o = b.duplicate().order(order);
        for (int i = 0; i < SIZE; i++) {
            o.put(at + i, (byte) 0);
        }
        o.putInt(at, WAPBL_WC_HEADER).putInt(at + 4, 1 << logDevBshift).putInt(at + 12, (int) generation)
                .putInt(at + 36, 1).putInt(at + 40, logDevBshift).putInt(at + 44, fsDevBshift)
                .putLong(at + 48, head).putLong(at + 56, tail).putLong(at + 64, circOff).putLong(at + 72, circSize);
    }
}
