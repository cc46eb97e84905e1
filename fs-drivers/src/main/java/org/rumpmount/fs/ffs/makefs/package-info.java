/**
 * makefs for FFS: {@link org.rumpmount.fs.ffs.makefs.Makefs} builds an image from a host directory
 * tree by formatting it with newfs, mounting it through the kernel and the FFS driver, and laying
 * the tree down with {@link org.rumpmount.fs.ffs.FreshTreeWriter} (the driver's allocators, each
 * file's contents written in place).
 * Limits: names and symlink targets travel as Java Strings, so bytes that are not valid in the
 * JVM's file name encoding (sun.jnu.encoding) cannot be carried; change times are the time of the
 * copy; sockets are skipped; runs of whole zero blocks become holes.
 */
package org.rumpmount.fs.ffs.makefs;
