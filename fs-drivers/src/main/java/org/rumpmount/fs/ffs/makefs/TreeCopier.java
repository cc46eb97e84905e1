package org.rumpmount.fs.ffs.makefs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.rumpmount.fs.ffs.Dinode;
import org.rumpmount.fs.ffs.FreshTreeWriter;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.Timespec;
import org.rumpmount.vfs.VfsException;

/**
 * Copies a scanned host tree into a freshly made image through {@link FreshTreeWriter}, which
 * allocates with the driver's own allocators and lays each file's bytes down at their final
 * place, building directories in memory. The tree lists parents before children, so every
 * directory is made before its entries; hard links name an entry made before them.
 *
 * <p>File contents come from a {@link HostReader}, which reads the next files on a thread of its
 * own while this one writes the image.
 */
final class TreeCopier {
    private final FreshTreeWriter writer;
    private final MakefsOptions.ProgressListener progress;
    /** Inode numbers of the directories made so far, by image path. */
    private final Map<String, Long> dirs = new HashMap<>();
    /** Inode numbers of the entries that hard links name, by image path. */
    private final Map<String, Long> linked = new HashMap<>();

    TreeCopier(FreshTreeWriter writer, MakefsOptions.ProgressListener progress) {
        this.writer = writer;
        this.progress = progress;
    }

    /** Makes every entry of {@code t}, then writes the directories. */
    void copy(SourceTree t) throws IOException {
        Set<String> targets = new HashSet<>();
        for (SourceTree.Entry e : t.entries) {
            if (e.hardLinkOf() != null) {
                targets.add(e.hardLinkOf());
            }
        }
        long total = t.entries.size();
        long done = 0;
        try (HostReader reader = new HostReader(t.entries)) {
            for (SourceTree.Entry e : t.entries) {
                try {
                    long ino = create(e, reader);
                    if (ino != 0 && targets.contains(e.imagePath())) {
                        linked.put(e.imagePath(), ino);
                    }
                } catch (VfsException ex) {
                    throw new VfsException(ex.errno(), e.imagePath() + ": " + ex.getMessage(), ex);
                }
                progress.copied(++done, total, e.imagePath());
            }
        }
        writer.finish();
    }

    /** Makes entry {@code e}; returns its inode number (0 for a socket, which is skipped). */
    private long create(SourceTree.Entry e, HostReader reader) throws IOException {
        String path = e.imagePath();
        Timespec atime = timespec(e.atime());
        Timespec mtime = timespec(e.mtime());
        if (path.equals("/")) {
            writer.setRoot(e.mode(), e.uid(), e.gid(), atime, mtime);
            dirs.put("/", writer.root());
            return writer.root();
        }
        int slash = path.lastIndexOf('/');
        Long parent = dirs.get(slash == 0 ? "/" : path.substring(0, slash));
        if (parent == null) {
            throw new VfsException(Errno.ENOENT, "makefs: the parent of " + path + " was not made before it");
        }
        byte[] name = path.substring(slash + 1).getBytes(StandardCharsets.UTF_8);
        if (e.hardLinkOf() != null) {
            Long ino = linked.get(e.hardLinkOf());
            if (ino == null) {
                throw new VfsException(Errno.ENOENT, "makefs: " + e.hardLinkOf() + ", which hard link " + path
                        + " names, was not made before it");
            }
            writer.link(parent, name, ino);
            return ino;
        }
        switch (e.kind()) {
            case DIR -> {
                long ino = writer.mkdir(parent, name, e.mode(), e.uid(), e.gid(), atime, mtime);
                dirs.put(path, ino);
                return ino;
            }
            case FILE -> {
                FreshTreeWriter.RegularFile f = writer.create(parent, name, e.mode(), e.uid(), e.gid(), atime, mtime);
                write(f, e, reader);
                return f.close();
            }
            case SYMLINK -> {
                byte[] target = e.symlinkTarget().getBytes(StandardCharsets.UTF_8);
                return writer.symlink(parent, name, target, e.uid(), e.gid(), atime, mtime);
            }
            case FIFO, CHR, BLK -> {
                int ifmt = e.kind() == SourceTree.Kind.FIFO ? Dinode.IFIFO
                        : e.kind() == SourceTree.Kind.CHR ? Dinode.IFCHR : Dinode.IFBLK;
                return writer.mknod(parent, name, ifmt, e.mode(), e.uid(), e.gid(), e.rdev(), atime, mtime);
            }
            default -> {
                // Sockets are skipped: see Makefs.
                return 0;
            }
        }
    }

    /** Writes the file's bytes: read ahead by the reader, or streamed here when too large for that. */
    private static void write(FreshTreeWriter.RegularFile f, SourceTree.Entry e, HostReader reader)
            throws IOException {
        HostReader.Contents c = reader.next(e);
        try {
            if (c.bytes() != null) {
                f.write(c.bytes(), 0, c.length());
                return;
            }
            byte[] buf = new byte[HostReader.STREAM_CHUNK];
            try (InputStream in = Files.newInputStream(e.host())) {
                int n;
                while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                    f.write(buf, 0, n);
                }
            }
        } finally {
            reader.done(c);
        }
    }

    private static Timespec timespec(FileTime t) {
        Instant i = t.toInstant();
        return new Timespec(i.getEpochSecond(), i.getNano());
    }
}
