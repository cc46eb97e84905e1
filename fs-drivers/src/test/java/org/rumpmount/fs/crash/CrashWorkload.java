package org.rumpmount.fs.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.rumpmount.block.FaultInjectingBlockDevice;
import org.rumpmount.vfs.FileHandle;
import org.rumpmount.vfs.OpenFlags;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;

/**
 * A seeded sequence of file system operations for crash tests, made once against an in-memory
 * model so that every replay issues exactly the same calls: creates, small and multi-block
 * writes (some beyond the direct blocks, so through indirect blocks), overwrites, truncates,
 * renames of files and of directories across directories, unlinks, mkdir, rmdir, hard links,
 * short and long symbolic links, and fsyncs.
 *
 * <p>Each fsync becomes a {@link Durable}: the path and the content the file had when the fsync
 * returned, and the first later operation that changed the file's content (through any of its
 * names), removed or replaced that path, or renamed it or a directory above it. Until that
 * operation starts, the file must survive a crash exactly.
 */
public final class CrashWorkload {
    public enum Kind { CREATE_WRITE, WRITE, TRUNCATE, RENAME, UNLINK, MKDIR, RMDIR, LINK, SYMLINK, FSYNC }

    /** One call: paths {@code a} and {@code b}, an offset or size, and the bytes to write. */
    public record Op(Kind kind, String a, String b, long offset, byte[] data) {
        @Override
        public String toString() {
            return switch (kind) {
                case CREATE_WRITE, WRITE -> kind + " " + a + " @" + offset + " +" + data.length;
                case TRUNCATE -> kind + " " + a + " to " + offset;
                case RENAME, LINK -> kind + " " + a + " -> " + b;
                case SYMLINK -> kind + " " + a + " (" + data.length + "-byte target)";
                default -> kind + " " + a;
            };
        }
    }

    /** A file whose fsync at operation {@code op} returned with {@code content} at {@code path}. */
    public static final class Durable {
        public final int op;
        public final String path;
        public final byte[] content;
        /** The first later operation that changes the file or its path, or -1. */
        public int invalidatedBy = -1;

        Durable(int op, String path, byte[] content) {
            this.op = op;
            this.path = path;
            this.content = content;
        }

        /** What is wrong with this file as {@code p} shows it, or null when it is intact. */
        public String damage(PathFacade p) {
            try {
                Vattr va = p.lstat(path);
                if (va.type != VType.VREG) {
                    return "now a " + va.type;
                }
                if (va.size != content.length) {
                    return "size " + va.size + ", expected " + content.length;
                }
                byte[] got = p.readAll(path);
                if (!Arrays.equals(got, content)) {
                    return "content differs from byte " + Arrays.mismatch(got, content);
                }
                return null;
            } catch (IOException e) {
                return e.toString();
            }
        }
    }

    private static final class MFile {
        byte[] data = new byte[0];
    }

    private static final class MDir {
        final TreeMap<String, Object> entries = new TreeMap<>();
    }

    /** A symbolic link in the model (its target is not checked after a crash). */
    private record MLink() {
    }

    public final List<Op> ops = new ArrayList<>();
    public final List<Durable> durables = new ArrayList<>();
    private final MDir root = new MDir();
    private final Random rnd;
    private final int bsize;
    private final boolean bigFile;
    private final long byteBudget;

    /**
     * {@code count} operations for a file system of block size {@code bsize} with room for about
     * {@code byteBudget} bytes of file data; {@code bigFile} adds one file that reaches the double
     * indirect block.
     */
    public CrashWorkload(long seed, int count, int bsize, long byteBudget, boolean bigFile) {
        this.rnd = new Random(seed);
        this.bsize = bsize;
        this.byteBudget = byteBudget;
        this.bigFile = bigFile;
        while (ops.size() < count) {
            generate();
        }
    }

    // ---- generation against the model -----------------------------------------------------------

    private void add(Op op) {
        int index = ops.size();
        for (Durable d : durables) {
            if (d.invalidatedBy < 0 && affects(op, d)) {
                d.invalidatedBy = index;
            }
        }
        ops.add(op);
        if (op.kind == Kind.FSYNC) {
            durables.add(new Durable(index, op.a, ((MFile) lookup(op.a)).data.clone()));
        }
    }

    /** Whether {@code op} changes the content of {@code d}'s file or the path that names it. */
    private boolean affects(Op op, Durable d) {
        return switch (op.kind) {
            case WRITE, TRUNCATE -> lookup(op.a) == lookup(d.path);
            case UNLINK -> op.a.equals(d.path);
            case RENAME -> covers(op.a, d.path) || covers(op.b, d.path);
            default -> false;
        };
    }

    private static boolean covers(String dirOrFile, String path) {
        return path.equals(dirOrFile) || path.startsWith(dirOrFile + "/");
    }

    private Object lookup(String path) {
        Object cur = root;
        for (String part : path.substring(1).split("/")) {
            cur = ((MDir) cur).entries.get(part);
        }
        return cur;
    }

    private MDir parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash == 0 ? root : (MDir) lookup(path.substring(0, slash));
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private void collect(String path, MDir d, List<String> dirs, List<String> files) {
        dirs.add(path);
        for (Map.Entry<String, Object> e : d.entries.entrySet()) {
            String p = path.equals("/") ? "/" + e.getKey() : path + "/" + e.getKey();
            if (e.getValue() instanceof MDir sub) {
                collect(p, sub, dirs, files);
            } else if (e.getValue() instanceof MFile) {
                files.add(p);
            }
        }
    }

    private String child(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private void generate() {
        List<String> dirs = new ArrayList<>();
        List<String> files = new ArrayList<>();
        collect("/", root, dirs, files);
        String dir = dirs.get(rnd.nextInt(dirs.size()));
        String file = files.isEmpty() ? null : files.get(rnd.nextInt(files.size()));
        java.util.Set<Object> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        long live = 0;
        for (String f : files) {
            if (distinct.add(lookup(f))) {
                live += ((MFile) lookup(f)).data.length;
            }
        }
        boolean full = live > byteBudget;
        int roll = rnd.nextInt(100);
        if (bigFile && ops.size() == 40) {
            // One file through the double indirect block: past the direct blocks and the first
            // indirect block's reach, written in pieces so its map grows over several calls.
            String path = child(dir, "big");
            if (lookup(path) == null) {
                long pointers = bsize / 8;
                long at = (12 + pointers) * (long) bsize - 2L * bsize;
                write(Kind.CREATE_WRITE, path, 0, bytes(bsize + 100));
                write(Kind.WRITE, path, at, bytes(5 * bsize));
                add(new Op(Kind.FSYNC, path, null, 0, null));
                return;
            }
        }
        if (roll < 22 && !full) {
            String path = child(dir, "f" + rnd.nextInt(8));
            if (lookup(path) != null) {
                return;
            }
            write(Kind.CREATE_WRITE, path, 0, bytes(size()));
        } else if (roll < 38 && file != null) {
            MFile f = (MFile) lookup(file);
            long off = rnd.nextInt(3) == 0 ? rnd.nextInt(Math.max(1, f.data.length)) : f.data.length;
            if (!full && rnd.nextInt(6) == 0) {
                off = 12L * bsize + rnd.nextInt(4 * bsize); // into the single indirect block's range
            }
            write(Kind.WRITE, file, off, bytes(full ? rnd.nextInt(600) : size()));
        } else if (roll < 46 && file != null) {
            MFile f = (MFile) lookup(file);
            long to = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(Math.max(1, f.data.length + bsize));
            apply(new Op(Kind.TRUNCATE, file, null, to, null));
        } else if (roll < 54 && file != null) {
            String to = child(dir, "f" + rnd.nextInt(8));
            Object there = lookup(to);
            if (there instanceof MDir || there instanceof MLink || there == lookup(file)) {
                return; // rename(2) between two names of one file does nothing
            }
            apply(new Op(Kind.RENAME, file, to, 0, null));
        } else if (roll < 58 && dirs.size() > 1) {
            String from = dirs.get(1 + rnd.nextInt(dirs.size() - 1));
            String to = child(dir, "d" + rnd.nextInt(4));
            if (covers(from, dir) || lookup(to) != null) {
                return; // not into itself, and only onto a free name
            }
            apply(new Op(Kind.RENAME, from, to, 0, null));
        } else if (roll < 66 && file != null) {
            apply(new Op(Kind.UNLINK, file, null, 0, null));
        } else if (roll < 72) {
            String path = child(dir, "d" + rnd.nextInt(4));
            if (lookup(path) != null || path.split("/").length > 6) {
                return;
            }
            apply(new Op(Kind.MKDIR, path, null, 0, null));
        } else if (roll < 76 && dirs.size() > 1) {
            String path = dirs.get(1 + rnd.nextInt(dirs.size() - 1));
            if (!((MDir) lookup(path)).entries.isEmpty()) {
                return;
            }
            apply(new Op(Kind.RMDIR, path, null, 0, null));
        } else if (roll < 81 && file != null) {
            String to = child(dir, "h" + rnd.nextInt(4));
            if (lookup(to) != null) {
                return;
            }
            apply(new Op(Kind.LINK, file, to, 0, null));
        } else if (roll < 85) {
            String path = child(dir, "s" + rnd.nextInt(3));
            if (lookup(path) != null) {
                return;
            }
            // Short targets live in the inode; long ones need a block.
            int n = rnd.nextBoolean() ? 10 + rnd.nextInt(40) : 150 + rnd.nextInt(300);
            byte[] target = new byte[n];
            for (int i = 0; i < n; i++) {
                target[i] = (byte) ('a' + rnd.nextInt(26));
            }
            apply(new Op(Kind.SYMLINK, path, null, 0, target));
        } else if (file != null) {
            add(new Op(Kind.FSYNC, file, null, 0, null));
        }
    }

    private int size() {
        int r = rnd.nextInt(10);
        if (r < 5) {
            return 1 + rnd.nextInt(3000); // fragments
        }
        if (r < 9) {
            return bsize + rnd.nextInt(6 * bsize); // several blocks
        }
        return 13 * bsize + rnd.nextInt(4 * bsize); // past the direct blocks
    }

    private void write(Kind kind, String path, long off, byte[] data) {
        Op op = new Op(kind, path, null, off, data);
        if (kind == Kind.CREATE_WRITE) {
            parent(path).entries.put(leaf(path), new MFile());
        }
        add(op);
        MFile f = (MFile) lookup(path);
        int end = (int) (off + data.length);
        if (end > f.data.length) {
            f.data = Arrays.copyOf(f.data, end);
        }
        System.arraycopy(data, 0, f.data, (int) off, data.length);
    }

    /** Records {@code op} and applies it to the model. */
    private void apply(Op op) {
        add(op);
        switch (op.kind) {
            case TRUNCATE -> {
                MFile f = (MFile) lookup(op.a);
                f.data = Arrays.copyOf(f.data, (int) op.offset);
            }
            case RENAME -> {
                Object moving = parent(op.a).entries.remove(leaf(op.a));
                parent(op.b).entries.put(leaf(op.b), moving);
            }
            case UNLINK, RMDIR -> parent(op.a).entries.remove(leaf(op.a));
            case MKDIR -> parent(op.a).entries.put(leaf(op.a), new MDir());
            case LINK -> parent(op.b).entries.put(leaf(op.b), lookup(op.a));
            case SYMLINK -> parent(op.a).entries.put(leaf(op.a), new MLink());
            default -> throw new IllegalStateException(op.toString());
        }
    }

    // ---- execution --------------------------------------------------------------------------------

    /** Runs operation {@code i} through {@code p}. */
    public void run(int i, PathFacade p) throws IOException {
        Op op = ops.get(i);
        switch (op.kind) {
            case CREATE_WRITE, WRITE -> {
                int flags = OpenFlags.O_WRONLY | (op.kind == Kind.CREATE_WRITE ? OpenFlags.O_CREAT | OpenFlags.O_EXCL : 0);
                try (FileHandle fh = p.open(op.a, flags, 0644)) {
                    int n = fh.write(op.offset, ByteBuffer.wrap(op.data));
                    if (n != op.data.length) {
                        throw new IOException(op + ": short write of " + n + " bytes");
                    }
                }
            }
            case TRUNCATE -> p.truncate(op.a, op.offset);
            case RENAME -> p.rename(op.a, op.b);
            case UNLINK -> p.unlink(op.a);
            case MKDIR -> p.mkdir(op.a, 0755);
            case RMDIR -> p.rmdir(op.a);
            case LINK -> p.link(op.a, op.b);
            case SYMLINK -> p.symlink(new String(op.data, StandardCharsets.ISO_8859_1), op.a);
            case FSYNC -> p.fsync(op.a);
            default -> throw new IllegalStateException(op.toString());
        }
    }

    /** The device's write count before each operation and after the last: {@code marks[i]} before op i. */
    public static long[] marks(CrashWorkload w, PathFacade p, FaultInjectingBlockDevice dev) throws IOException {
        long[] marks = new long[w.ops.size() + 1];
        for (int i = 0; i < w.ops.size(); i++) {
            marks[i] = dev.writes();
            w.run(i, p);
        }
        marks[w.ops.size()] = dev.writes();
        return marks;
    }

    /** Operation {@code i} run through a mount: {@link #run}, and whatever a test does after it. */
    @FunctionalInterface
    public interface Step {
        void run(int i, PathFacade p) throws IOException;
    }

    /**
     * Replays the operations through {@code p} on {@code dev}, whose power fails at a chosen
     * write, with {@code step}; each operation must start at the write count {@code marks} gives
     * for it (as counted by a run without faults). Returns the operation the power failed in, or
     * the number of operations when it never did.
     */
    public int replayUntilPowerFails(PathFacade p, FaultInjectingBlockDevice dev, long[] marks, String where, Step step)
            throws IOException {
        for (int i = 0; i < ops.size(); i++) {
            if (dev.powerLost()) {
                return i;
            }
            assertEquals(marks[i], dev.writes(), where + ": the replay diverged before op " + i + " " + ops.get(i));
            try {
                step.run(i, p);
            } catch (IOException | RuntimeException e) {
                // After the cut, evicted buffers read back stale from the medium; the driver may object.
                if (!dev.powerLost()) {
                    throw e;
                }
                return i;
            }
        }
        return ops.size();
    }

    /**
     * The files that must be intact after a cut after {@code at} writes, given the write counts
     * {@link #marks} returned: their fsync's writes all landed, and the operation that next
     * changed them had not started before the cut.
     */
    public List<Durable> intactAfter(long[] marks, long at) {
        Map<String, Durable> byPath = new TreeMap<>();
        for (Durable d : durables) {
            boolean synced = marks[d.op + 1] <= at;
            boolean untouched = d.invalidatedBy < 0 || marks[d.invalidatedBy] > at;
            if (synced && untouched) {
                Durable earlier = byPath.put(d.path, d);
                if (earlier != null && !Arrays.equals(earlier.content, d.content)) {
                    throw new IllegalStateException("two untouched fsyncs of " + d.path + " with different content");
                }
            }
        }
        return new ArrayList<>(byPath.values());
    }
}
