/**
 * NetBSD's log-structured file system (LFS), format version 2, read and write.
 *
 * <p>The on-disk structures follow NetBSD's sys/ufs/lfs/lfs.h; like its lfs_accessors.h, one
 * {@link org.rumpmount.fs.lfs.LfsLayout} hides the difference between the 32-bit layout (struct
 * dlfs, 128-byte dinodes) and the 64-bit one (struct dlfs64, 256-byte dinodes), and the byte
 * order. Addresses on disk are fragment addresses.
 *
 * <p>How a file is found: the superblock's checkpoint names the disk address of the IFILE's
 * inode (inode 1); the IFILE holds the cleaner info, the segment usage table and one entry per
 * inode with the address of the inode block holding its latest copy and, in version 2, its
 * access time. A file's data is found through the usual direct and indirect block pointers.
 *
 * <p>{@link org.rumpmount.fs.lfs.SegmentSummary} and {@link org.rumpmount.fs.lfs.LogWalker}
 * decode and verify the log itself.
 *
 * <p>Writing (a writable mount): changes stay in core as dirty blocks and changed dinodes
 * ({@link org.rumpmount.fs.lfs.FileWrites}, {@link org.rumpmount.fs.lfs.DirectoryWrites},
 * {@link org.rumpmount.fs.lfs.InodeAllocator}) until {@link org.rumpmount.fs.lfs.SegmentWriter}
 * appends them to the log as partial segments, giving blocks their addresses as it places them
 * and keeping the segment usage table exact. fsync writes partial segments; sync and unmount
 * end with a checkpoint (the IFILE, then a superblock copy, both copies at unmount, marked
 * clean). A writable mount of a file system not marked clean is refused unless forced, and then
 * {@link org.rumpmount.fs.lfs.RollForward} replays the complete flushes written after the last
 * checkpoint. {@link org.rumpmount.fs.lfs.SegmentCleaner} copies the live blocks of dirty
 * segments forward when clean segments run low, and {@link org.rumpmount.fs.lfs.EmptySegments}
 * marks segments clean once the checkpoints in both superblock copies call them empty; ENOSPC
 * is left for live data that does not fit.
 * Blocks behind double and triple indirect blocks are read, and freed with their files, but not
 * written (EFBIG).
 */
package org.rumpmount.fs.lfs;
