/**
 * newfs for FFS: {@link org.rumpmount.fs.ffs.newfs.Newfs} writes an empty UFS1 or UFS2 file
 * system on a block device as NetBSD's sbin/newfs/mkfs.c lays it out, from
 * {@link org.rumpmount.fs.ffs.newfs.NewfsOptions}; {@link org.rumpmount.fs.ffs.newfs.NewfsLayout}
 * is the geometry chosen. Unlike mkfs.c, the root directory's owner is an option rather than the
 * caller's effective ids, and the defaults are UFS2 and little-endian.
 */
package org.rumpmount.fs.ffs.newfs;
