/**
 * NetBSD's Fast File System (FFS): UFS1 and UFS2, little- and big-endian.
 *
 * <p>One concern per class, as in NetBSD's sys/ufs: on-disk codecs ({@code Superblock},
 * {@code CylinderGroup}, {@code Dinode}, {@code DirectoryBlock}) that decode and encode over a
 * ByteBuffer in the volume's byte order; the checks that make a hostile superblock safe to
 * compute with ({@code SuperblockValidator}); the search for the superblock
 * ({@code SuperblockLocator}); logical to physical block mapping ({@code BlockMap}); file and
 * directory reading; the in-core inode; the per-mount and per-vnode operations; and the driver.
 * All device access goes through {@code FfsIo}.
 *
 * <p>Only read-only mounts are supported so far; the codecs already encode, for the write side.
 */
package org.rumpmount.fs.ffs;
