/**
 * NetBSD's log-structured file system (LFS), format version 2, read-only for now.
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
 * decode and verify the log itself, the basis for roll-forward and fsck.
 */
package org.rumpmount.fs.lfs;
