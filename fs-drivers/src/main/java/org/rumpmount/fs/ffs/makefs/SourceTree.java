package org.rumpmount.fs.ffs.makefs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * A host directory tree as makefs sees it: every entry with its numeric owner, mode, times, device
 * number and (for hard links) the first path naming the same inode, listed parents before
 * children in name order. Names are the host's Strings; they reach the image as UTF-8, so a
 * name that is not valid in the JVM's file name encoding (sun.jnu.encoding) cannot be carried.
 */
final class SourceTree {
    enum Kind { DIR, FILE, SYMLINK, FIFO, CHR, BLK, SOCKET }

    /** One entry; {@code imagePath} is absolute in the image ("/" for the root). */
    record Entry(Path host, String imagePath, Kind kind, int mode, long uid, long gid, long size, FileTime atime,
            FileTime mtime, long rdev, String symlinkTarget, String hardLinkOf, int nameBytes) {
    }

    private static final String ATTRIBUTES = "unix:mode,uid,gid,size,lastAccessTime,lastModifiedTime,rdev,nlink,dev,ino";

    final List<Entry> entries = new ArrayList<>();
    /** Distinct inodes, the root included. */
    long inodes;

    private final Map<String, String> firstPathOfInode = new HashMap<>();

    /**
     * Scans the tree under {@code root}. Directories are listed, and their entries' attributes
     * read, by two threads at once (the host's stat calls are most of the work, and the tree's
     * files are read only once it is known); the entries are then put in order, parents before
     * children, names sorted, and hard links matched up in that order.
     */
    static SourceTree scan(Path root) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new VfsException(Errno.ENOTDIR, "makefs: source " + root + " is not a directory");
        }
        Node top = Node.of(root, "/", 0);
        new Lister().listAll(top);
        SourceTree t = new SourceTree();
        t.add(top);
        return t;
    }

    private void add(Node n) {
        String hardLinkOf = null;
        if (n.kind != Kind.DIR && n.nlink > 1) {
            hardLinkOf = firstPathOfInode.putIfAbsent(n.dev + ":" + n.ino, n.imagePath);
        }
        if (hardLinkOf == null) {
            inodes++;
        }
        entries.add(new Entry(n.host, n.imagePath, n.kind, n.mode & 07777, n.uid, n.gid, n.size, n.atime, n.mtime,
                n.rdev, n.symlinkTarget, hardLinkOf, n.nameBytes));
        if (n.children != null) {
            for (Node c : n.children) {
                add(c);
            }
        }
    }

    /** One host entry as listed, before the tree is put in order; a directory's children once listed. */
    private static final class Node {
        final Path host;
        final String imagePath;
        final int nameBytes;
        Kind kind;
        int mode;
        long uid;
        long gid;
        long size;
        FileTime atime;
        FileTime mtime;
        long rdev;
        long nlink;
        Object dev;
        Object ino;
        String symlinkTarget;
        List<Node> children;

        private Node(Path host, String imagePath, int nameBytes) {
            this.host = host;
            this.imagePath = imagePath;
            this.nameBytes = nameBytes;
        }

        static Node of(Path p, String imagePath, int nameBytes) throws IOException {
            Node n = new Node(p, imagePath, nameBytes);
            // Named attributes only: "unix:*" would also look up the owner's and group's names, a
            // passwd and group file search per entry, which makefs has no use for.
            Map<String, Object> a = Files.readAttributes(p, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            n.mode = (Integer) a.get("mode");
            n.kind = switch (n.mode & 0170000) {
                case 0040000 -> Kind.DIR;
                case 0100000 -> Kind.FILE;
                case 0120000 -> Kind.SYMLINK;
                case 0010000 -> Kind.FIFO;
                case 0020000 -> Kind.CHR;
                case 0060000 -> Kind.BLK;
                default -> Kind.SOCKET;
            };
            n.uid = ((Number) a.get("uid")).longValue();
            n.gid = ((Number) a.get("gid")).longValue();
            n.size = (Long) a.get("size");
            n.atime = (FileTime) a.get("lastAccessTime");
            n.mtime = (FileTime) a.get("lastModifiedTime");
            n.rdev = ((Number) a.get("rdev")).longValue();
            n.nlink = ((Number) a.get("nlink")).longValue();
            n.dev = a.get("dev");
            n.ino = a.get("ino");
            n.symlinkTarget = n.kind == Kind.SYMLINK ? Files.readSymbolicLink(p).toString() : null;
            return n;
        }

        /** Lists this directory: each entry in name order, with its attributes. */
        void list() throws IOException {
            List<Path> names;
            try (Stream<Path> s = Files.list(host)) {
                names = s.sorted().toList();
            }
            List<Node> out = new ArrayList<>(names.size());
            String prefix = imagePath.equals("/") ? "/" : imagePath + "/";
            for (Path c : names) {
                String name = c.getFileName().toString();
                out.add(of(c, prefix + name, name.getBytes(StandardCharsets.UTF_8).length));
            }
            children = out;
        }
    }

    /**
     * Lists every directory of a tree on two threads: each takes a directory from a shared stack,
     * lists it and pushes its subdirectories. The first failure stops the listing and is thrown.
     */
    private static final class Lister {
        private static final Node DONE = new Node(null, null, 0);
        private final LinkedBlockingDeque<Node> stack = new LinkedBlockingDeque<>();
        /** Directories pushed and not yet listed. */
        private final AtomicInteger pending = new AtomicInteger();
        private volatile IOException failure;

        void listAll(Node top) throws IOException {
            pending.set(1);
            stack.push(top);
            Thread helper = new Thread(this::work, "makefs tree scan");
            helper.setDaemon(true);
            helper.start();
            work();
            try {
                helper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("makefs: interrupted while scanning the source tree");
            }
            if (failure != null) {
                throw failure;
            }
        }

        private void work() {
            try {
                while (true) {
                    Node d = stack.takeFirst();
                    if (d == DONE) {
                        return;
                    }
                    if (failure == null) {
                        try {
                            d.list();
                            for (int i = d.children.size() - 1; i >= 0; i--) {
                                Node c = d.children.get(i);
                                if (c.kind == Kind.DIR) {
                                    pending.incrementAndGet();
                                    stack.push(c);
                                }
                            }
                        } catch (IOException e) {
                            failure = e;
                        } catch (RuntimeException e) {
                            failure = new IOException("makefs: scanning " + d.host + " failed: " + e, e);
                        }
                    }
                    if (pending.decrementAndGet() == 0) {
                        // The other thread is waiting for work that will not come.
                        stack.push(DONE);
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = new InterruptedIOException("makefs: interrupted while scanning the source tree");
                }
                stack.push(DONE);
            }
        }
    }

    /**
     * Bytes of blocks the tree needs at block size {@code bsize} and fragment size {@code fsize},
     * as makefs's ffs_size_dir counts them: each file's blocks with its tail in fragments and its
     * indirect blocks, each directory's 512-byte chunks, each slow symlink's target.
     */
    long dataBytes(int bsize, int fsize, boolean ufs2) {
        int maxsymlinklen = ufs2 ? 120 : 60;
        Map<String, List<Integer>> dirNames = new HashMap<>();
        long total = 0;
        for (Entry e : entries) {
            if (!e.imagePath().equals("/")) {
                String parent = e.imagePath().substring(0, Math.max(1, e.imagePath().lastIndexOf('/')));
                dirNames.computeIfAbsent(parent, k -> new ArrayList<>()).add(e.nameBytes());
            }
            if (e.hardLinkOf() != null) {
                continue;
            }
            if (e.kind() == Kind.FILE) {
                total += fileBytes(e.size(), bsize, fsize, ufs2);
            } else if (e.kind() == Kind.SYMLINK) {
                int len = e.symlinkTarget().getBytes(StandardCharsets.UTF_8).length;
                if (len >= maxsymlinklen) {
                    total += fileBytes(len, bsize, fsize, ufs2);
                }
            }
        }
        for (Entry e : entries) {
            if (e.kind() == Kind.DIR) {
                total += fileBytes(dirBytes(dirNames.getOrDefault(e.imagePath(), List.of())), bsize, fsize, ufs2);
            }
        }
        return total;
    }

    /** A directory's size: "." and ".." then each name, in 512-byte chunks no record spans. */
    static long dirBytes(List<Integer> names) {
        long chunks = 1;
        int used = 24;
        for (int n : names) {
            int rec = 8 + ((n + 1 + 3) & ~3);
            if (used + rec > 512) {
                chunks++;
                used = 0;
            }
            used += rec;
        }
        return chunks * 512;
    }

    /** Space a file of {@code size} bytes takes: data blocks, tail fragments, indirect blocks. */
    static long fileBytes(long size, int bsize, int fsize, boolean ufs2) {
        if (size == 0) {
            return 0;
        }
        long blocks = (size + bsize - 1) / bsize;
        if (blocks <= 12) {
            long tail = size - (blocks - 1) * bsize;
            return (blocks - 1) * bsize + (tail + fsize - 1) / fsize * fsize;
        }
        long nindir = bsize / (ufs2 ? 8 : 4);
        long indirect = 0;
        long left = blocks - 12;
        long perLevel = 1;
        for (int level = 1; level <= 3 && left > 0; level++) {
            perLevel *= nindir;
            long here = Math.min(left, perLevel);
            // Indirect blocks at every level of this subtree: ceil(here / nindir^k) for k = 1..level.
            long span = 1;
            for (int k = 1; k <= level; k++) {
                span *= nindir;
                indirect += (here + span - 1) / span;
            }
            left -= here;
        }
        return (blocks + indirect) * bsize;
    }
}
