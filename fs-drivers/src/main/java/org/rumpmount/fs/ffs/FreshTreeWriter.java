package org.rumpmount.fs.ffs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.DeviceNumbers;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.VfsException;

/**
 * Fills a file system that newfs has just made, mounted read-write and used by nothing else, with
 * a whole tree in one pass, as NetBSD's makefs builds an image.
 *
 * <p>Every inode and block comes from the driver's own allocators, so the cylinder group maps,
 * counts, fragment and cluster summaries are kept exactly as any other write keeps them. What
 * differs from the vnode operations is where the bytes go: a file's contents are laid down block
 * after block (each file's first block follows the previous file's last, so a group fills from
 * its start) and written straight to the device at their final place, gathered into large
 * writes, past the buffer cache (a block the cache happens to hold, such as the one with the
 * summary area, is changed there instead); each directory is built in memory as its entries
 * come and written once, by {@link #finish}; each inode is written once, complete.
 *
 * <p>Names must be new in their directory (the caller's tree cannot hold one twice); whole
 * blocks of zeros in a file become holes. Files are written one at a time: a {@link RegularFile}
 * is closed before anything else is made. A failure (ENOSPC above all) leaves the image
 * unfinished: the caller discards it.
 */
public final class FreshTreeWriter implements AutoCloseable {
    /** The bytes of the device gathered before they are written. */
    private static final int WINDOW = 4 << 20;
    private static final byte[] ZEROS = new byte[SuperblockValidator.MAXBSIZE];
    /** Tells the device writer to end. */
    private static final Object STOP = new Object();
    private static final int LINK_MAX = FfsVnodeOps.LINK_MAX;

    private final FfsFileSystem fs;
    private final Superblock sb;
    private final BlockDevice dev;
    private final Timespec now;
    private final DeviceWriter deviceWriter;
    /** The window being gathered; null before the first put and after {@link #finish}. */
    private Window window;
    private final byte[] tailBuffer;
    /** Per group, the fragment after the last block laid down there: where the next file starts. */
    private final long[] cursor;
    /** The directories made so far, by inode number (the root included), to be written by {@link #finish}. */
    private final Map<Long, Dir> dirs = new HashMap<>();
    private final List<Dir> dirOrder = new ArrayList<>();
    private boolean finished;
    /** The file being written, if any. */
    private RegularFile open;

    private FreshTreeWriter(FfsFileSystem fs, BlockDevice dev) throws VfsException {
        this.fs = fs;
        this.sb = fs.sb;
        this.dev = dev;
        this.now = fs.host.now();
        this.cursor = new long[sb.ncg];
        this.tailBuffer = new byte[sb.bsize];
        Inode root = fs.loadInode(FfsFileSystem.ROOTINO);
        // The root newfs made holds "." and ".." in one fragment: that goes back to the free
        // space, and the root is written anew with everything else.
        long rootFrags = sb.fragroundup(root.din.size) >> sb.fshift;
        if (root.din.size != DirectoryBlock.DIRBLKSIZ || root.din.db[0] == 0) {
            throw new VfsException(Errno.EBUSY, dev.name() + ": the root directory is not newfs's empty one");
        }
        fs.blocks.free(root.din.db[0], (int) rootFrags);
        root.din.db[0] = 0;
        root.din.blocks = 0;
        root.din.size = 0;
        root.din.nlink = 2;
        Dir d = new Dir(root, FfsFileSystem.ROOTINO);
        dirs.put(root.number, d);
        dirOrder.add(d);
        this.deviceWriter = new DeviceWriter();
    }

    /**
     * A writer for the file system mounted at {@code mp}, which must be an FFS volume made by
     * newfs and not changed since: nothing but its root directory, which holds "." and "..".
     */
    public static FreshTreeWriter open(Mount mp) throws VfsException {
        if (!(mp.vfsOps() instanceof FfsVfsOps ops) || !ops.fileSystem().writable()) {
            throw new VfsException(Errno.EINVAL, "the tree writer needs an FFS volume mounted read-write, not " + mp);
        }
        FfsFileSystem fs = ops.fileSystem();
        if (fs.sb.cstotal[CylinderGroups.NIFREE] != fs.sb.inodeCount() - FfsFileSystem.ROOTINO - 1
                || fs.sb.cstotal[CylinderGroups.NDIR] != 1) {
            throw new VfsException(Errno.EBUSY, mp.device().name() + ": the file system holds more than newfs's root"
                    + " directory; the tree writer fills only a new one");
        }
        return new FreshTreeWriter(fs, mp.device());
    }

    /** The root directory's inode number. */
    public long root() {
        return FfsFileSystem.ROOTINO;
    }

    /** The owner, mode and times of the root directory. */
    public void setRoot(int mode, long uid, long gid, Timespec atime, Timespec mtime) {
        Dinode d = dirs.get(FfsFileSystem.ROOTINO).ip.din;
        d.mode = Dinode.IFDIR | (mode & 07777);
        d.uid = uid;
        d.gid = gid;
        setTimes(d, atime, mtime);
    }

    /** Makes directory {@code name} in directory {@code parent}; returns its inode number. */
    public long mkdir(long parent, byte[] name, int mode, long uid, long gid, Timespec atime, Timespec mtime)
            throws VfsException {
        Dir p = dir(parent, name);
        if (p.ip.din.nlink >= LINK_MAX) {
            throw new VfsException(Errno.EMLINK, "directory inode " + parent + " has " + p.ip.din.nlink
                    + " links, the most allowed");
        }
        Inode ip = newInode(parent, Dinode.IFDIR, mode, uid, gid, atime, mtime);
        ip.din.nlink = 2;
        p.ip.din.nlink++;
        Dir d = new Dir(ip, parent);
        dirs.put(ip.number, d);
        dirOrder.add(d);
        p.enter(name, ip.number, DirectoryBlock.DT_DIR);
        return ip.number;
    }

    /**
     * Starts regular file {@code name} in directory {@code parent}: its bytes follow through
     * {@link RegularFile#write}, and {@link RegularFile#close} finishes it.
     */
    public RegularFile create(long parent, byte[] name, int mode, long uid, long gid, Timespec atime,
            Timespec mtime) throws VfsException {
        Dir p = dir(parent, name);
        Inode ip = newInode(parent, Dinode.IFREG, mode, uid, gid, atime, mtime);
        open = new RegularFile(p, name, ip);
        return open;
    }

    /** Makes symbolic link {@code name} to {@code target}; returns its inode number. */
    public long symlink(long parent, byte[] name, byte[] target, long uid, long gid, Timespec atime, Timespec mtime)
            throws VfsException {
        if (target.length == 0 || target.length >= FfsFileSystem.MAXPATHLEN) {
            throw new VfsException(Errno.ENAMETOOLONG, "symbolic link target of " + target.length
                    + " bytes (1 to " + (FfsFileSystem.MAXPATHLEN - 1) + " can be stored)");
        }
        Dir p = dir(parent, name);
        // A link's own mode is never consulted; every link is made 0777.
        Inode ip = newInode(parent, Dinode.IFLNK, 0777, uid, gid, atime, mtime);
        if (target.length < sb.maxsymlinklen) {
            ip.din.setAddressArea(target);
            ip.din.size = target.length;
        } else {
            Contents c = new Contents(ip, false);
            c.add(target, 0, target.length);
            c.close();
        }
        fs.writeInode(ip, false);
        p.enter(name, ip.number, DirectoryBlock.DT_LNK);
        return ip.number;
    }

    /**
     * Makes FIFO or device node {@code name}: {@code ifmt} is {@link Dinode#IFIFO},
     * {@link Dinode#IFCHR} or {@link Dinode#IFBLK}, {@code rdev} a Linux device number.
     */
    public long mknod(long parent, byte[] name, int ifmt, int mode, long uid, long gid, long rdev, Timespec atime,
            Timespec mtime) throws VfsException {
        if (ifmt != Dinode.IFIFO && ifmt != Dinode.IFCHR && ifmt != Dinode.IFBLK) {
            throw new IllegalArgumentException("mknod of type 0" + Integer.toOctalString(ifmt));
        }
        long dev = 0;
        if (ifmt != Dinode.IFIFO) {
            long major = DeviceNumbers.linuxMajor(rdev);
            long minor = DeviceNumbers.linuxMinor(rdev);
            if (major > 0xfff || minor > 0xfffff) {
                throw new VfsException(Errno.EINVAL, "device " + major + "," + minor
                        + " does not fit NetBSD's 32-bit dev_t (major up to 4095, minor up to 1048575)");
            }
            dev = DeviceNumbers.netbsd(major, minor);
            if (!sb.ufs2) {
                dev = (int) dev;
            }
        }
        Dir p = dir(parent, name);
        Inode ip = newInode(parent, ifmt, mode, uid, gid, atime, mtime);
        ip.din.db[0] = dev;
        fs.writeInode(ip, false);
        p.enter(name, ip.number, ifmt == Dinode.IFIFO ? DirectoryBlock.DT_FIFO
                : ifmt == Dinode.IFCHR ? DirectoryBlock.DT_CHR : DirectoryBlock.DT_BLK);
        return ip.number;
    }

    /** Enters {@code name} in directory {@code parent} as one more link to non-directory inode {@code ino}. */
    public void link(long parent, byte[] name, long ino) throws VfsException {
        Dir p = dir(parent, name);
        Dinode d = fs.readDinode(ino);
        int ifmt = d.mode & Dinode.IFMT;
        if (d.mode == 0 || ifmt == Dinode.IFDIR) {
            throw new VfsException(Errno.EPERM, "link to inode " + ino + ", which is " + (d.mode == 0 ? "free"
                    : "a directory"));
        }
        if (d.nlink >= LINK_MAX) {
            throw new VfsException(Errno.EMLINK, "inode " + ino + " has " + d.nlink + " links, the most allowed");
        }
        d.nlink++;
        fs.writeInode(new Inode(ino, d, VType.ofMode(d.mode)), false);
        p.enter(name, ino, switch (ifmt) {
            case Dinode.IFREG -> DirectoryBlock.DT_REG;
            case Dinode.IFLNK -> DirectoryBlock.DT_LNK;
            case Dinode.IFIFO -> DirectoryBlock.DT_FIFO;
            case Dinode.IFCHR -> DirectoryBlock.DT_CHR;
            case Dinode.IFBLK -> DirectoryBlock.DT_BLK;
            default -> DirectoryBlock.DT_UNKNOWN;
        });
    }

    /**
     * Writes every directory and its inode, then every gathered byte. The caller unmounts next,
     * which writes the cylinder groups, the inode blocks and the superblock.
     */
    public void finish() throws VfsException {
        if (finished) {
            return;
        }
        if (open != null) {
            throw new IllegalStateException("a file is still being written");
        }
        for (Dir d : dirOrder) {
            byte[] bytes = d.bytes();
            Contents c = new Contents(d.ip, false);
            c.add(bytes, 0, bytes.length);
            c.close();
            fs.writeInode(d.ip, false);
        }
        flushWindows();
        deviceWriter.close();
        finished = true;
    }

    /** Stops the device writer: after {@link #finish}, or instead of it when giving up. */
    @Override
    public void close() {
        deviceWriter.close();
    }

    private Dir dir(long parent, byte[] name) throws VfsException {
        if (open != null || finished) {
            throw new IllegalStateException(finished ? "the tree is finished" : "a file is still being written");
        }
        Dir p = dirs.get(parent);
        if (p == null) {
            throw new VfsException(Errno.ENOTDIR, "inode " + parent + " is not a directory made by this writer");
        }
        if (name.length == 0 || name.length > DirectoryBlock.MAXNAMLEN) {
            throw new VfsException(Errno.ENAMETOOLONG, "a name of " + name.length + " bytes (1 to "
                    + DirectoryBlock.MAXNAMLEN + " can be stored) in directory inode " + parent);
        }
        for (byte c : name) {
            if (c == 0 || c == '/') {
                throw new VfsException(Errno.EINVAL, "a name holding a " + (c == 0 ? "NUL" : "'/'")
                        + " byte in directory inode " + parent);
            }
        }
        return p;
    }

    private Inode newInode(long parent, int ifmt, int mode, long uid, long gid, Timespec atime, Timespec mtime)
            throws VfsException {
        long ino = fs.inodes.alloc(parent, ifmt == Dinode.IFDIR);
        Dinode d = new Dinode();
        d.ufs2 = sb.ufs2;
        d.order = sb.order;
        d.gen = fs.inodes.newGeneration();
        d.mode = ifmt | (mode & 07777);
        d.nlink = 1;
        d.uid = uid;
        d.gid = gid;
        d.ctime = now.sec();
        d.ctimensec = now.nsec();
        if (sb.ufs2) {
            d.birthtime = now.sec();
            d.birthnsec = now.nsec();
        }
        setTimes(d, atime, mtime);
        return new Inode(ino, d, VType.ofMode(d.mode));
    }

    private static void setTimes(Dinode d, Timespec atime, Timespec mtime) {
        d.atime = atime.sec();
        d.atimensec = atime.nsec();
        d.mtime = mtime.sec();
        d.mtimensec = mtime.nsec();
    }

    /** A regular file being written: its bytes in order, then {@link #close}. */
    public final class RegularFile {
        private final Dir parent;
        private final byte[] name;
        private final Contents contents;
        private boolean closed;

        private RegularFile(Dir parent, byte[] name, Inode ip) {
            this.parent = parent;
            this.name = name;
            this.contents = new Contents(ip, true);
        }

        /** Appends {@code len} bytes of {@code b} from {@code off}. */
        public void write(byte[] b, int off, int len) throws VfsException {
            if (closed) {
                throw new IllegalStateException(contents.ip + " is closed");
            }
            contents.add(b, off, len);
        }

        /** Writes the file's inode and enters it in its directory; returns its inode number. */
        public long close() throws VfsException {
            if (!closed) {
                closed = true;
                open = null;
                contents.close();
                fs.writeInode(contents.ip, false);
                parent.enter(name, contents.ip.number, DirectoryBlock.DT_REG);
            }
            return contents.ip.number;
        }
    }

    /**
     * A file's bytes laid down block by block: each whole block as soon as it is complete, the
     * tail (a fragment run when it is a direct block) at {@link #close}, then the indirect
     * blocks; the inode's size, block count and block map are filled in as they go.
     */
    private final class Contents {
        final Inode ip;
        private final boolean holes;
        /** The bytes of a block not yet complete: one array for every file, as one is written at a time. */
        private final byte[] tail = tailBuffer;
        private int tailLen;
        /** The blocks past the direct ones, made when a file reaches them. */
        private long[] map;
        private long lbn;
        private long last;

        Contents(Inode ip, boolean holes) {
            this.ip = ip;
            this.holes = holes;
        }

        void add(byte[] b, int off, int len) throws VfsException {
            if (ip.din.size + len > FileWriter.limit(sb)) {
                throw new VfsException(Errno.EFBIG, ip + ": " + (ip.din.size + len)
                        + " bytes pass the file size limit of " + FileWriter.limit(sb) + " bytes");
            }
            ip.din.size += len;
            if (tailLen > 0) {
                int n = Math.min(len, sb.bsize - tailLen);
                System.arraycopy(b, off, tail, tailLen, n);
                tailLen += n;
                off += n;
                len -= n;
                if (tailLen < sb.bsize) {
                    return;
                }
                block(tail, 0, sb.bsize, sb.bsize);
                tailLen = 0;
            }
            while (len >= sb.bsize) {
                block(b, off, sb.bsize, sb.bsize);
                off += sb.bsize;
                len -= sb.bsize;
            }
            System.arraycopy(b, off, tail, 0, len);
            tailLen = len;
        }

        void close() throws VfsException {
            if (tailLen > 0) {
                int size = lbn < Dinode.NDADDR ? (int) sb.fragroundup(tailLen) : sb.bsize;
                block(tail, 0, tailLen, size);
                tailLen = 0;
            }
            long first = Dinode.NDADDR;
            long per = 1;
            for (int level = 0; level < Dinode.NIADDR && first < lbn; level++) {
                per *= sb.nindir;
                ip.din.ib[level] = indirect(level, first);
                first += per;
            }
        }

        /** Lays down logical block {@code lbn}: {@code len} bytes of {@code b}, in {@code size} bytes of storage. */
        private void block(byte[] b, int off, int len, int size) throws VfsException {
            long addr = 0;
            if (!holes || Arrays.mismatch(b, off, off + len, ZEROS, 0, len) >= 0) {
                addr = allocate(size >> sb.fshift, lbn);
                put(addr, b, off, len, size);
            }
            if (lbn < Dinode.NDADDR) {
                ip.din.db[(int) lbn] = addr;
            } else {
                if (map == null) {
                    map = new long[sb.nindir];
                } else if (lbn - Dinode.NDADDR >= map.length) {
                    map = Arrays.copyOf(map, map.length * 2);
                }
                map[(int) (lbn - Dinode.NDADDR)] = addr;
            }
            lbn++;
        }

        /**
         * The indirect block of {@code level} (0 single) mapping the blocks from {@code first},
         * made and written with those below it; 0 when every block it would map is a hole.
         */
        private long indirect(int level, long first) throws VfsException {
            long[] ptrs = new long[sb.nindir];
            long per = 1;
            for (int k = 0; k < level; k++) {
                per *= sb.nindir;
            }
            boolean any = false;
            for (int i = 0; i < sb.nindir; i++) {
                long at = first + i * per;
                if (at >= lbn) {
                    break;
                }
                ptrs[i] = level == 0 ? map[(int) (at - Dinode.NDADDR)] : indirect(level - 1, at);
                any |= ptrs[i] != 0;
            }
            if (!any) {
                return 0;
            }
            byte[] blk = new byte[sb.bsize];
            ByteBuffer w = ByteBuffer.wrap(blk).order(sb.order);
            for (int i = 0; i < sb.nindir; i++) {
                if (sb.ufs2) {
                    w.putLong(i * 8, ptrs[i]);
                } else {
                    w.putInt(i * 4, (int) ptrs[i]);
                }
            }
            long addr = allocate(sb.frag, -1);
            put(addr, blk, 0, sb.bsize, sb.bsize);
            return addr;
        }

        /**
         * {@code nfrags} fragments after the file's last block, or after the group's last file,
         * for logical block {@code lbn} (-1 for an indirect block).
         */
        private long allocate(int nfrags, long lbn) throws VfsException {
            long pref;
            if (last != 0) {
                pref = last + sb.frag;
            } else {
                int cg = (int) (ip.number / sb.ipg);
                pref = cursor[cg] != 0 ? cursor[cg] : fs.blocks.groupDataStart(ip.number);
            }
            long addr;
            try {
                // The message is made only on failure: this runs for every block.
                addr = fs.blocks.alloc(pref, nfrags, null, nfrags == sb.frag ? "a block" : "a fragment run");
            } catch (VfsException e) {
                String detail = e.getMessage();
                String errno = e.errno() + ": ";
                throw new VfsException(e.errno(), ip + (lbn < 0 ? " indirect block: " : " block " + lbn + ": ")
                        + (detail.startsWith(errno) ? detail.substring(errno.length()) : detail), e);
            }
            long blockStart = addr - addr % sb.frag;
            last = blockStart;
            int cg = (int) (addr / sb.fpg);
            cursor[cg] = Math.max(cursor[cg], blockStart + sb.frag);
            ip.din.blocks += (long) nfrags * (sb.fsize / 512);
            return addr;
        }
    }

    /**
     * Puts {@code len} bytes of {@code b} at fragment {@code addr}, zeros after them up to
     * {@code size}: into the window being gathered when they fall inside it, else into a new
     * window, the full one going to the device.
     */
    private void put(long addr, byte[] b, int off, int len, int size) throws VfsException {
        long pos = addr * sb.fsize;
        if (window == null || pos < window.start || pos + size > window.start + WINDOW) {
            nextWindow(pos);
        }
        window.put(pos, b, off, len, size);
    }

    /**
     * Hands the window gathered so far to the device writer and starts one holding {@code pos}.
     * Files are laid down mostly forwards, with fragment tails going into partly used blocks a
     * little before, so a window begins a little before where it is first needed.
     */
    private void nextWindow(long pos) throws VfsException {
        Window full = window;
        window = null;
        if (full != null && !full.isEmpty()) {
            deviceWriter.submit(full);
        } else if (full != null) {
            deviceWriter.recycle(full);
        }
        window = deviceWriter.take();
        long start = Math.max(0, pos - WINDOW / 4);
        window.start = start - start % sb.bsize;
    }

    /** Sends the last window and waits until every window is on the device. */
    private void flushWindows() throws VfsException {
        if (window != null) {
            if (!window.isEmpty()) {
                deviceWriter.submit(window);
            } else {
                deviceWriter.recycle(window);
            }
            window = null;
        }
        deviceWriter.drain();
    }

    /**
     * A stretch of the device being gathered: the bytes put into it so far, and which of its
     * fragments they cover. Only those fragments are written; the others keep what the device
     * holds.
     */
    private final class Window {
        long start;
        final ByteBuffer bytes = ByteBuffer.allocateDirect(WINDOW);
        private final long[] used = new long[WINDOW / sb.fsize / 64 + 1];
        private boolean empty = true;

        void put(long pos, byte[] b, int off, int len, int size) {
            int at = (int) (pos - start);
            bytes.put(at, b, off, len);
            bytes.put(at + len, ZEROS, 0, size - len);
            int first = at / sb.fsize;
            int end = (at + size) / sb.fsize;
            for (int f = first; f < end; f++) {
                used[f >>> 6] |= 1L << f;
            }
            empty = false;
        }

        boolean isEmpty() {
            return empty;
        }

        /** Writes each run of used fragments, then forgets them. */
        void write() throws VfsException {
            int frags = WINDOW / sb.fsize;
            int f = 0;
            while (f < frags) {
                if ((used[f >>> 6] & (1L << f)) == 0) {
                    f++;
                    continue;
                }
                int runStart = f;
                while (f < frags && (used[f >>> 6] & (1L << f)) != 0) {
                    f++;
                }
                long at = start + (long) runStart * sb.fsize;
                int n = (f - runStart) * sb.fsize;
                fs.io.writeAround(at / sb.fsize, bytes.slice(runStart * sb.fsize, n),
                        () -> n + " bytes of file contents at byte offset " + at);
            }
            Arrays.fill(used, 0);
            empty = true;
        }
    }

    /**
     * Writes windows to the device on a thread of its own, so that the host's write calls
     * overlap the laying down of the next files. Two windows take turns: one gathering, one being
     * written. The first failure is kept and reported at the next hand-over.
     */
    private final class DeviceWriter implements AutoCloseable {
        /** Windows to write, then {@link #STOP}. */
        private final java.util.concurrent.BlockingQueue<Object> toWrite = new java.util.concurrent.ArrayBlockingQueue<>(3);
        private final java.util.concurrent.BlockingQueue<Window> free = new java.util.concurrent.ArrayBlockingQueue<>(2);
        private final Thread thread;
        private volatile VfsException failure;
        private boolean stopped;

        DeviceWriter() {
            free.add(new Window());
            free.add(new Window());
            thread = new Thread(this::run, "ffs tree writer");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try {
                while (true) {
                    Object next = toWrite.take();
                    if (next == STOP) {
                        return;
                    }
                    Window w = (Window) next;
                    try {
                        if (failure == null) {
                            w.write();
                        }
                    } catch (VfsException e) {
                        failure = e;
                    } catch (RuntimeException e) {
                        failure = new VfsException(Errno.EIO, dev.name() + ": writing file contents failed: " + e, e);
                    } finally {
                        Arrays.fill(w.used, 0);
                        w.empty = true;
                        free.put(w);
                    }
                }
            } catch (InterruptedException e) {
                // Closed.
            }
        }

        void submit(Window w) throws VfsException {
            check();
            try {
                toWrite.put(w);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VfsException(Errno.EINTR, "interrupted while handing file contents to the device writer");
            }
        }

        void recycle(Window w) {
            free.add(w);
        }

        Window take() throws VfsException {
            try {
                Window w = free.take();
                check();
                return w;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VfsException(Errno.EINTR, "interrupted while waiting for the device writer");
            }
        }

        /** Waits until both windows are back, every byte written; throws the first failure. */
        void drain() throws VfsException {
            Window a = take();
            Window b = take();
            free.add(a);
            free.add(b);
            check();
        }

        private void check() throws VfsException {
            VfsException f = failure;
            if (f != null) {
                throw new VfsException(f.errno(), f.getMessage(), f);
            }
        }

        /**
         * Lets the window being written finish and ends the thread. It is not interrupted: an
         * interrupt in the middle of a write would close the image's channel.
         */
        @Override
        public void close() {
            if (stopped) {
                return;
            }
            stopped = true;
            toWrite.add(STOP);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A directory being built: its inode and its entries, encoded chunk by chunk as they come. */
    private final class Dir {
        final Inode ip;
        private byte[] buf = new byte[DirectoryBlock.DIRBLKSIZ];
        private int len;
        /** Where the last record of the current chunk starts. */
        private int lastRec;

        Dir(Inode ip, long parent) {
            this.ip = ip;
            ByteBuffer b = ByteBuffer.wrap(buf).order(sb.order);
            DirectoryBlock.encode(b, 0, ip.number, 12, DirectoryBlock.DT_DIR, new byte[] {'.'}, sb.oldFormat());
            DirectoryBlock.encode(b, 12, parent, 12, DirectoryBlock.DT_DIR, new byte[] {'.', '.'}, sb.oldFormat());
            lastRec = 12;
            len = 24;
        }

        void enter(byte[] name, long ino, int type) {
            int rec = DirectoryBlock.dirsiz(name.length);
            int chunkStart = lastRec - lastRec % DirectoryBlock.DIRBLKSIZ;
            if (len + rec > chunkStart + DirectoryBlock.DIRBLKSIZ) {
                closeChunk();
                len = chunkStart + DirectoryBlock.DIRBLKSIZ;
                if (len + DirectoryBlock.DIRBLKSIZ > buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
            }
            DirectoryBlock.encode(ByteBuffer.wrap(buf).order(sb.order), len, ino, rec, type, name, sb.oldFormat());
            lastRec = len;
            len += rec;
        }

        /** The last record of the current chunk takes the rest of it. */
        private void closeChunk() {
            int chunkEnd = lastRec - lastRec % DirectoryBlock.DIRBLKSIZ + DirectoryBlock.DIRBLKSIZ;
            ByteBuffer.wrap(buf).order(sb.order).putShort(lastRec + 4, (short) (chunkEnd - lastRec));
        }

        /** The directory's bytes: whole chunks. */
        byte[] bytes() {
            closeChunk();
            int size = lastRec - lastRec % DirectoryBlock.DIRBLKSIZ + DirectoryBlock.DIRBLKSIZ;
            return Arrays.copyOf(buf, size);
        }
    }
}
