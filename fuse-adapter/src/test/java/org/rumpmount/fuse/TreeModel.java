package org.rumpmount.fuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a file system tree must hold, in memory: directories, files (content, owner, mtime) and
 * symbolic links by path relative to the root ("doc/a/b"). Names that share one {@link FileNode}
 * are hard links. The workload changes the mounted tree and this model in step, so the model is
 * the expected tree at the end.
 */
final class TreeModel {
    sealed interface Node permits DirNode, FileNode, LinkNode {
    }

    record DirNode() implements Node {
    }

    record LinkNode(String target) implements Node {
    }

    /** A regular file; mutable, since edits change it and hard links share it. */
    static final class FileNode implements Node {
        byte[] data;
        final long uid;
        final long gid;
        /** The host's mtime in seconds, or -1 once the workload changed the file. */
        long mtime;

        FileNode(byte[] data, long uid, long gid, long mtime) {
            this.data = data;
            this.uid = uid;
            this.gid = gid;
            this.mtime = mtime;
        }
    }

    final Map<String, Node> nodes = new TreeMap<>();

    /** Adds the host tree {@code src} (not following links) under {@code prefix}, as cp -a copies it. */
    void addHostTree(Path src, String prefix) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(src)) {
            all = s.toList();
        }
        for (Path p : all) {
            String rel = src.relativize(p).toString();
            String key = rel.isEmpty() ? prefix : prefix + "/" + rel;
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                nodes.put(key, new LinkNode(Files.readSymbolicLink(p).toString()));
            } else if (a.isDirectory()) {
                nodes.put(key, new DirNode());
            } else if (a.isRegularFile()) {
                int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int gid = (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
                nodes.put(key, new FileNode(Files.readAllBytes(p), uid, gid, a.lastModifiedTime().toMillis() / 1000));
            } else {
                throw new IOException(p + " is neither a file, a directory nor a symbolic link");
            }
        }
    }

    /** Regular-file paths in path order, hard links counted once (the first name). */
    List<String> files() {
        List<String> out = new ArrayList<>();
        List<FileNode> seen = new ArrayList<>();
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            if (e.getValue() instanceof FileNode f && seen.stream().noneMatch(x -> x == f)) {
                seen.add(f);
                out.add(e.getKey());
            }
        }
        return out;
    }

    List<String> dirs() {
        return nodes.entrySet().stream().filter(e -> e.getValue() instanceof DirNode).map(Map.Entry::getKey).toList();
    }

    FileNode file(String path) {
        if (nodes.get(path) instanceof FileNode f) {
            return f;
        }
        throw new AssertionError(path + " is not a regular file in the model");
    }

    void append(String path, byte[] b) {
        FileNode f = file(path);
        byte[] n = Arrays.copyOf(f.data, f.data.length + b.length);
        System.arraycopy(b, 0, n, f.data.length, b.length);
        f.data = n;
        f.mtime = -1;
    }

    void overwrite(String path, int offset, byte[] b) {
        FileNode f = file(path);
        byte[] n = Arrays.copyOf(f.data, Math.max(f.data.length, offset + b.length));
        System.arraycopy(b, 0, n, offset, b.length);
        f.data = n;
        f.mtime = -1;
    }

    void truncate(String path, int length) {
        FileNode f = file(path);
        f.data = Arrays.copyOf(f.data, length);
        f.mtime = -1;
    }

    void create(String path, byte[] data) {
        nodes.put(path, new FileNode(data, 0, 0, -1));
    }

    void link(String existing, String path) {
        nodes.put(path, file(existing));
    }

    /** rename(2): the entry and everything under it move; an existing file at {@code to} is replaced. */
    void rename(String from, String to) {
        Map<String, Node> moved = new TreeMap<>();
        for (var it = nodes.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Node> e = it.next();
            if (e.getKey().equals(from) || e.getKey().startsWith(from + "/")) {
                moved.put(to + e.getKey().substring(from.length()), e.getValue());
                it.remove();
            }
        }
        if (moved.isEmpty()) {
            throw new AssertionError(from + " is not in the model");
        }
        nodes.putAll(moved);
    }

    /** Removes the entry and everything under it. */
    void remove(String path) {
        nodes.keySet().removeIf(k -> k.equals(path) || k.startsWith(path + "/"));
    }
}
