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
 * <p>The write side, on a read-write mount, follows ffs_alloc.c, ffs_balloc.c, ffs_inode.c and
 * the shared ufs_lookup.c and ufs_rename.c: {@code CylinderGroups} (the groups' maps and every
 * summary kept exact: cg_cs, fs_cs, fs_cstotal, cg_frsum and the cluster summaries),
 * {@code BlockAllocator} (blocks, fragment runs, extension in place, the minfree reserve),
 * {@code InodeAllocator} (directories spread over groups, files near their directory, UFS2's
 * lazy inode block initialisation), {@code BlockMapWriter} (direct and indirect levels, fragment
 * tails grown, moved or promoted), {@code Truncator}, {@code FileWriter} and
 * {@code DirectoryWriter}. A read-write mount marks the volume dirty on the device first and
 * clean again at unmount; a volume that is not clean is mounted read-write only when forced.
 */
package org.rumpmount.fs.ffs;
