/**
 * tmpfs: an in-memory file system with NetBSD tmpfs semantics, the reference driver that
 * exercises the kernel.
 *
 * <p>{@link org.rumpmount.fs.tmpfs.TmpfsDriver} mounts a {@link org.rumpmount.fs.tmpfs.TmpfsMount}
 * (per-mount state: the node table by file id, the page and node budget in
 * {@link org.rumpmount.fs.tmpfs.TmpfsLimits}). Each file is a
 * {@link org.rumpmount.fs.tmpfs.TmpfsNode}; a directory's entries are a
 * {@link org.rumpmount.fs.tmpfs.TmpfsDirectory}, a regular file's bytes a sparse
 * {@link org.rumpmount.fs.tmpfs.TmpfsFileData}. The vnode operations are in
 * {@link org.rumpmount.fs.tmpfs.TmpfsVnodeOps}, with setattr and rename in classes of their own.
 *
 * <p>Locking: a node's fields are guarded by its vnode's lock, which the kernel holds as
 * {@link org.rumpmount.vfs.VnodeOps} documents; directory parent pointers change only under the
 * mount's rename lock. The node table and the budget are shared by all files of a mount and use
 * concurrent maps and atomics, the last step of the lock order.
 *
 * <p>Lifetime: removing a file's last name leaves it readable through the vnodes that still
 * reference it; when the last reference goes, inactive frees its pages and asks for reclaim,
 * which takes it out of the table and gives its node back to the budget.
 */
package org.rumpmount.fs.tmpfs;
