package org.rumpmount.fs.ffs.makefs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.Name;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.Vnode;
import org.rumpmount.vfs.VnodeOps;

/**
 * Copies a scanned host tree into a freshly made, mounted image through the driver's vnode
 * operations, as root.
 *
 * <p>It calls the operations itself, as the kernel's path layer does (same locks, same order:
 * a directory before the entry made in it), rather than going through {@link PathFacade} by
 * path, because makefs knows what the path layer would find out again for every entry: each
 * parent directory (held referenced from its creation to the end, not looked up from the root
 * per entry), that every name is new (one host directory cannot list a name twice, so there is
 * no existence check before each create), and the final owner and mode (given at creation, so
 * that one attribute change, the times, follows instead of three). Hard links, rare, still go
 * by path.
 *
 * <p>File contents come from a {@link HostReader}, which reads the next files on a thread of its
 * own while this one writes the image.
 */
final class TreeCopier {
    private static final Credentials ROOT = Credentials.ROOT;

    private final Mount mount;
    private final PathFacade paths;
    private final int bsize;
    private final MakefsOptions.ProgressListener progress;
    /** Directories made so far, by image path, each referenced until {@link #close}. */
    private final Map<String, Vnode> dirs = new HashMap<>();
    private final List<Vnode> held = new ArrayList<>();

    TreeCopier(Mount mount, int bsize, MakefsOptions.ProgressListener progress) {
        this.mount = mount;
        this.paths = new PathFacade(mount, ROOT);
        this.bsize = bsize;
        this.progress = progress;
    }

    /** Makes every entry of {@code t}, then gives each directory its attributes, children first. */
    void copy(SourceTree t) throws IOException {
        Vnode root = mount.vfsOps().root();
        held.add(root);
        dirs.put("/", root);
        long total = t.entries.size();
        long done = 0;
        try (HostReader reader = new HostReader(t.entries)) {
            for (SourceTree.Entry e : t.entries) {
                try {
                    create(e, reader);
                } catch (VfsException ex) {
                    throw new VfsException(ex.errno(), e.imagePath() + ": " + ex.getMessage(), ex);
                }
                progress.copied(++done, total, e.imagePath());
            }
        }
        // A directory's attributes last, children first, so that entering a name in it does not
        // move its times; everything else got its own when it was made.
        for (int i = t.entries.size() - 1; i >= 0; i--) {
            SourceTree.Entry e = t.entries.get(i);
            if (e.kind() == SourceTree.Kind.DIR && e.hardLinkOf() == null) {
                Vattr va = Vattr.forSetattr();
                va.uid = e.uid();
                va.gid = e.gid();
                va.mode = e.mode();
                setTimes(dirs.get(e.imagePath()), va, e);
            }
        }
    }

    /** Drops the references to the directories. */
    void close() {
        for (Vnode vp : held) {
            vp.close();
        }
        held.clear();
        dirs.clear();
    }

    private void create(SourceTree.Entry e, HostReader reader) throws IOException {
        String path = e.imagePath();
        if (path.equals("/")) {
            return;
        }
        if (e.hardLinkOf() != null) {
            paths.link(e.hardLinkOf(), path);
            return;
        }
        int slash = path.lastIndexOf('/');
        Vnode dvp = dirs.get(slash == 0 ? "/" : path.substring(0, slash));
        if (dvp == null) {
            throw new VfsException(Errno.ENOENT, "makefs: the parent of " + path + " was not made before it");
        }
        Name name = Name.of(path.substring(slash + 1).getBytes(StandardCharsets.UTF_8));
        VnodeOps ops = dvp.ops();
        Vattr va = new Vattr();
        va.mode = e.mode();
        va.uid = e.uid();
        va.gid = e.gid();
        Vnode vp;
        try (Vnode.Locked l = dvp.lock(Vnode.LockMode.EXCLUSIVE)) {
            switch (e.kind()) {
                case DIR -> {
                    va.type = VType.VDIR;
                    vp = ops.mkdir(dvp, name, va, ROOT);
                    held.add(vp);
                    dirs.put(path, vp);
                    return;
                }
                case FILE -> {
                    va.type = VType.VREG;
                    vp = ops.create(dvp, name, va, ROOT);
                }
                case SYMLINK -> {
                    byte[] target = e.symlinkTarget().getBytes(StandardCharsets.UTF_8);
                    if (target.length == 0 || target.length > 1023) {
                        throw new VfsException(Errno.ENAMETOOLONG, "makefs: symbolic link target of " + target.length
                                + " bytes (1 to 1023 can be stored)");
                    }
                    va.type = VType.VLNK;
                    // A link's own mode is never consulted; the path layer makes every link 0777.
                    va.mode = 0777;
                    vp = ops.symlink(dvp, name, va, target, ROOT);
                }
                case FIFO, CHR, BLK -> {
                    va.type = e.kind() == SourceTree.Kind.FIFO ? VType.VFIFO
                            : e.kind() == SourceTree.Kind.CHR ? VType.VCHR : VType.VBLK;
                    va.rdev = e.kind() == SourceTree.Kind.FIFO ? 0 : e.rdev();
                    vp = ops.mknod(dvp, name, va, ROOT);
                }
                default -> {
                    // Sockets are skipped: see Makefs.
                    return;
                }
            }
        }
        try (vp) {
            Vattr t = Vattr.forSetattr();
            if (e.kind() == SourceTree.Kind.FILE) {
                write(vp, e, reader, t);
            }
            setTimes(vp, t, e);
        }
    }

    /**
     * Writes the file's bytes; whole blocks of zeros are left as holes (runs of blocks that hold
     * data go down in one write each). Trailing zero blocks are not written, so when the size
     * falls short of the bytes read, {@code t} gets the size to set.
     */
    private void write(Vnode vp, SourceTree.Entry e, HostReader reader, Vattr t) throws IOException {
        HostReader.Contents c = reader.next(e);
        try (Vnode.Locked l = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
            long off = 0;
            if (c.bytes() != null) {
                writeRuns(vp, 0, c.bytes(), c.length());
                off = c.length();
            } else {
                // Too large to read ahead: streamed here, a chunk at a time.
                byte[] buf = new byte[HostReader.STREAM_CHUNK];
                try (InputStream in = Files.newInputStream(e.host())) {
                    int n;
                    while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                        writeRuns(vp, off, buf, n);
                        off += n;
                    }
                }
            }
            if (vp.ops().getattr(vp).size != off) {
                t.size = off;
            }
        } finally {
            reader.done(c);
        }
    }

    private void writeRuns(Vnode vp, long off, byte[] b, int n) throws IOException {
        int at = 0;
        while (at < n) {
            int len = Math.min(bsize, n - at);
            if (allZero(b, at, len)) {
                at += len;
                continue;
            }
            int end = at + len;
            while (end < n && !allZero(b, end, Math.min(bsize, n - end))) {
                end += Math.min(bsize, n - end);
            }
            writeFully(vp, off + at, b, at, end - at);
            at = end;
        }
    }

    private static void writeFully(Vnode vp, long off, byte[] b, int from, int len) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(b, from, len);
        while (src.hasRemaining()) {
            long at = off + (src.position() - from);
            if (vp.ops().write(vp, at, src, 0, ROOT) <= 0) {
                throw new VfsException(Errno.EIO, "makefs: write of " + src.remaining() + " bytes at offset " + at
                        + " made no progress");
            }
        }
    }

    private static boolean allZero(byte[] b, int from, int len) {
        for (int i = from; i < from + len; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** One attribute change: {@code va}'s fields, plus the entry's access and modification times. */
    private static void setTimes(Vnode vp, Vattr va, SourceTree.Entry e) throws IOException {
        va.atime = timespec(e.atime());
        va.mtime = timespec(e.mtime());
        try (Vnode.Locked l = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
            vp.ops().setattr(vp, va, ROOT);
        }
    }

    private static Timespec timespec(FileTime t) {
        Instant i = t.toInstant();
        return new Timespec(i.getEpochSecond(), i.getNano());
    }
}
