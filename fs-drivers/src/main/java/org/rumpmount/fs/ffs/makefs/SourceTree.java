package org.rumpmount.fs.ffs.makefs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    static SourceTree scan(Path root) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new VfsException(Errno.ENOTDIR, "makefs: source " + root + " is not a directory");
        }
        SourceTree t = new SourceTree();
        t.walk(root, "/", 0);
        return t;
    }

    private void walk(Path p, String imagePath, int nameBytes) throws IOException {
        // Named attributes only: "unix:*" would also look up the owner's and group's names, a
        // passwd and group file search per entry, which makefs has no use for.
        Map<String, Object> a = Files.readAttributes(p, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        Kind kind = switch (mode & 0170000) {
            case 0040000 -> Kind.DIR;
            case 0100000 -> Kind.FILE;
            case 0120000 -> Kind.SYMLINK;
            case 0010000 -> Kind.FIFO;
            case 0020000 -> Kind.CHR;
            case 0060000 -> Kind.BLK;
            default -> Kind.SOCKET;
        };
        String hardLinkOf = null;
        if (kind != Kind.DIR && (Integer) a.get("nlink") > 1) {
            String key = a.get("dev") + ":" + a.get("ino");
            hardLinkOf = firstPathOfInode.putIfAbsent(key, imagePath);
        }
        if (hardLinkOf == null) {
            inodes++;
        }
        String target = kind == Kind.SYMLINK ? Files.readSymbolicLink(p).toString() : null;
        entries.add(new Entry(p, imagePath, kind, mode & 07777, ((Number) a.get("uid")).longValue(),
                ((Number) a.get("gid")).longValue(), (Long) a.get("size"), (FileTime) a.get("lastAccessTime"),
                (FileTime) a.get("lastModifiedTime"), ((Number) a.get("rdev")).longValue(), target, hardLinkOf,
                nameBytes));
        if (kind == Kind.DIR) {
            List<Path> children;
            try (Stream<Path> s = Files.list(p)) {
                children = s.sorted().toList();
            }
            for (Path c : children) {
                String name = c.getFileName().toString();
                walk(c, (imagePath.equals("/") ? "/" : imagePath + "/") + name,
                        name.getBytes(StandardCharsets.UTF_8).length);
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
