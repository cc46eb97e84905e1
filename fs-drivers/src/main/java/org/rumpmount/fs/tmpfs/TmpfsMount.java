package org.rumpmount.fs.tmpfs;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.StatVfs;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.VfsOps;
import org.rumpmount.vfs.Vnode;
import org.rumpmount.vfs.VnodeOps;

/**
 * One mounted tmpfs (NetBSD's struct tmpfs_mount): the table of live nodes by file id, the
 * budget, and the node allocator. Nodes leave the table when their vnode is reclaimed with no
 * links left.
 */
final class TmpfsMount implements VfsOps {
    static final long ROOT_FILEID = 2;

    private final Mount mount;
    private final TmpfsLimits limits;
    private final TmpfsVnodeOps vnodeOps;
    private final ConcurrentHashMap<Long, TmpfsNode> nodes = new ConcurrentHashMap<>();
    private final AtomicLong nextFileid = new AtomicLong(ROOT_FILEID);

    TmpfsMount(Mount mount, TmpfsArgs args) throws VfsException {
        this.mount = mount;
        this.limits = new TmpfsLimits(args.maxPages(), args.maxNodes());
        this.vnodeOps = new TmpfsVnodeOps(this);
        TmpfsNode root = allocNode(VType.VDIR, args.rootMode(), args.rootUid(), args.rootGid(), 0, null, null);
        root.dir.setParent(root);
        root.nlink = 2;
    }

    Mount mount() {
        return mount;
    }

    TmpfsLimits limits() {
        return limits;
    }

    Timespec now() {
        return mount.host().now();
    }

    /**
     * Makes a node and enters it in the table, charging one node to the budget (ENOSPC when
     * exhausted). Its link count starts at zero; the caller links it.
     */
    TmpfsNode allocNode(VType type, int mode, long uid, long gid, long rdev, TmpfsNode parent, byte[] target)
            throws VfsException {
        if (!limits.reserveNode()) {
            throw new VfsException(Errno.ENOSPC, "tmpfs: out of nodes (limit " + limits.maxNodes()
                    + ", set with -o inodes=N)");
        }
        long fileid = nextFileid.getAndIncrement();
        long gen = Integer.toUnsignedLong(mount.host().random().nextInt());
        TmpfsNode node = new TmpfsNode(fileid, gen, type, rdev,
                type == VType.VDIR ? new TmpfsDirectory(parent) : null,
                type == VType.VREG ? new TmpfsFileData(limits) : null,
                target, mode, uid, gid, now());
        nodes.put(fileid, node);
        return node;
    }

    /**
     * Gives back a node with no links: its pages, its place in the budget and in the table.
     * Idempotent.
     */
    void freeNode(TmpfsNode node) {
        if (node.freed) {
            return;
        }
        node.freed = true;
        if (node.data != null) {
            node.data.free();
        }
        nodes.remove(node.fileid, node);
        limits.releaseNode();
    }

    /** The referenced vnode of a node known to be live (reached through a locked directory). */
    Vnode vnodeOf(TmpfsNode node) throws IOException {
        return mount.vnodes().get(node.fileid, vp -> bind(vp, node));
    }

    private static void bind(Vnode vp, TmpfsNode node) {
        vp.setType(node.type);
        vp.setData(node);
    }

    @Override
    public VnodeOps vnodeOps() {
        return vnodeOps;
    }

    @Override
    public Vnode root() throws IOException {
        return vget(ROOT_FILEID);
    }

    @Override
    public Vnode vget(long fileid) throws IOException {
        return mount.vnodes().get(fileid, vp -> {
            TmpfsNode node = nodes.get(fileid);
            if (node == null || node.freed) {
                throw new VfsException(Errno.ENOENT, "tmpfs: no file with id " + fileid);
            }
            bind(vp, node);
        });
    }

    /** Live nodes, the root included. */
    int nodeCount() {
        return nodes.size();
    }

    @Override
    public StatVfs statvfs() {
        long maxPages = limits.maxPages();
        long freePages = Math.max(0, maxPages - limits.usedPages());
        long maxNodes = limits.maxNodes();
        long freeNodes = Math.max(0, maxNodes - limits.usedNodes());
        return new StatVfs(TmpfsFileData.PAGE_SIZE, TmpfsFileData.PAGE_SIZE, maxPages, freePages, freePages,
                maxNodes, freeNodes, freeNodes, mount.id(), Name.NAME_MAX, mount.isReadOnly());
    }

    /** Everything is in memory already: nothing to write. */
    @Override
    public void sync(boolean wait) {
    }

    /** The file system ceases to exist: every node and page is given back. */
    @Override
    public void unmount(boolean force) {
        for (TmpfsNode node : nodes.values()) {
            freeNode(node);
        }
    }
}
