package org.rumpmount.fs.lfs;

import java.nio.ByteBuffer;

/**
 * The superblock fields a checkpoint rewrites (struct dlfs / dlfs64 "Checkpoint region" and a
 * few neighbours), written over a copy of the superblock as mounted so that every other field
 * stays as newfs_lfs left it, then re-checksummed (dlfs_cksum covers the bytes before it).
 */
record CheckpointFields(long freehd, long bfree, long nfiles, long avail, long idaddr, long lastseg, long nextseg,
        long curseg, long offset, long lastpseg, long nclean, long dmeta, long serial, long tstamp, int pflags) {

    /** Writes the fields into {@code raw} (the first {@link Superblock#DISK_SIZE} bytes) and sets the checksum. */
    void apply(LfsLayout l, ByteBuffer raw) {
        ByteBuffer b = l.view(raw);
        if (l.is64()) {
            b.putLong(40, freehd).putLong(48, nfiles).putLong(56, bfree).putLong(64, avail).putLong(72, idaddr)
                    .putLong(88, lastseg).putLong(96, nextseg).putLong(104, curseg).putLong(112, offset)
                    .putLong(120, lastpseg).putInt(308, (int) nclean).putShort(402, (short) pflags)
                    .putInt(404, (int) dmeta).putLong(424, serial).putLong(440, tstamp);
        } else {
            b.putInt(32, (int) freehd).putInt(36, (int) bfree).putInt(40, (int) nfiles).putInt(44, (int) avail)
                    .putInt(52, (int) idaddr).putInt(60, (int) lastseg).putInt(64, (int) nextseg)
                    .putInt(68, (int) curseg).putInt(72, (int) offset).putInt(76, (int) lastpseg)
                    .putInt(228, (int) nclean).putShort(322, (short) pflags).putInt(324, (int) dmeta)
                    .putLong(336, serial).putLong(352, tstamp);
        }
        b.putInt(Superblock.CKSUM_OFFSET, LfsLayout.cksum(b, 0, Superblock.CKSUM_OFFSET));
    }
}
