/**
 * fsck for FFS, after NetBSD's fsck_ffs: {@link org.rumpmount.fs.ffs.fsck.FfsFsck} checks and
 * repairs an unmounted UFS1 or UFS2 file system in either byte order, working on the
 * {@link org.rumpmount.block.BlockDevice} directly with the read side's codecs.
 *
 * <p>Setup finds the superblock (the primary, else an alternate found by scanning for a copy
 * where its own geometry puts one, or the one named by {@code -b}), compares it with the copy in
 * the last cylinder group, and skips a clean file system unless forced. Then, as fsck_ffs:
 * <ol>
 *   <li>{@code Pass1}: every inode's type, size and block pointers; each fragment claimed once in
 *       a map sized from the validated superblock; phase 1b names every claimant of a duplicate.</li>
 *   <li>{@code Pass2}: every directory record checked as dircheck does, "." and ".." first, each
 *       entry naming an allocated inode of its d_type; one name chosen per directory.</li>
 *   <li>{@code Pass3}: each directory reaches the root, else it is reconnected under lost+found
 *       (made when missing); a loop is cut where it closed.</li>
 *   <li>{@code Pass4}: bad and duplicate inodes cleared, unreferenced files reconnected as
 *       #inode (empty ones cleared), link counts set to the entries found.</li>
 *   <li>{@code Pass5}: group maps, counts, fragment summaries, cluster maps, the summary area and
 *       fs_cstotal rebuilt and compared.</li>
 * </ol>
 * Every question is answered by the mode: no for {@code -n} (on a device wrapped so that no
 * write can reach it), yes for {@code -y}, and for {@code -p} yes to what preen fixes and a stop
 * otherwise. Work is bounded on hostile images: no indirect block is descended twice, a walk
 * stops after ten bad or duplicate pointers, and inode tables beyond 2^27 entries are refused.
 */
package org.rumpmount.fs.ffs.fsck;
