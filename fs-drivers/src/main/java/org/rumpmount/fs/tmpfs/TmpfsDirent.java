package org.rumpmount.fs.tmpfs;

import org.rumpmount.vfs.Name;

/**
 * One entry of a directory. {@code seq} is its place in the directory's listing order and its
 * readdir cookie; it is never reused within the directory, which keeps cookies stable.
 */
record TmpfsDirent(Name name, TmpfsNode node, long seq) {
}
