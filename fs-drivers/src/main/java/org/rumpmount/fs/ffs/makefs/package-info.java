/**
 * makefs for FFS: {@link org.rumpmount.fs.ffs.makefs.Makefs} builds an image from a host directory
 * tree by formatting it with newfs and copying the tree in through the kernel and the FFS driver.
 * Limits: names and symlink targets travel as Java Strings, so bytes that are not valid in the
 * JVM's file name encoding (sun.jnu.encoding) cannot be carried; change times are the time of the
 * copy; sockets are skipped; runs of whole zero blocks become holes.
 */
package org.rumpmount.fs.ffs.makefs;
