package org.rumpmount.fs.ffs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.VfsException;
import org.rumpmount.vfs.Vnode;
import org.rumpmount.vfs.VnodeOps;

/**
 * Walks a mounted tree through vnode operations only, as the kernel would call them (each
 * call under the vnode's shared lock), and records what every path holds. Listings are taken
 * a few entries at a time so that readdir cookies are exercised.
 */
final class TreeWalker {
    /** What one path holds. */
    record Node(byte[] path, Vattr va, VType direntType, String sha256, byte[] target) {
    }

    private final Mount mount;
    private final VnodeOps ops;
    private final long maxRead;
    private final int maxNodes;
    final Map<String, Node> nodes = new LinkedHashMap<>();
    /** Consistency failures seen on the way ("." or ".." or readdir vs lookup disagreeing). */
    final List<String> problems = new ArrayList<>();

    TreeWalker(Mount mount, long maxRead, int maxNodes) {
        this.mount = mount;
        this.ops = mount.vnodeOps();
        this.maxRead = maxRead;
        this.maxNodes = maxNodes;
    }

    void walk() throws IOException {
        try (Vnode root = mount.vfsOps().root()) {
            Vattr va = getattr(root);
            nodes.put("2f", new Node(new byte[] {'/'}, va, VType.VDIR, null, null));
            Set<Long> seen = new HashSet<>();
            seen.add(root.fileid());
            walk(root, new byte[0], root.fileid(), seen);
        }
    }

    private Vattr getattr(Vnode vp) throws IOException {
        try (Vnode.Locked l = vp.lock(Vnode.LockMode.SHARED)) {
            return ops.getattr(vp);
        }
    }

    private List<Dirent> list(Vnode dir) throws IOException {
        List<Dirent> all = new ArrayList<>();
        long cookie = 0;
        while (true) {
            List<Dirent> batch = new ArrayList<>();
            try (Vnode.Locked l = dir.lock(Vnode.LockMode.SHARED)) {
                ops.readdir(dir, cookie, d -> {
                    if (batch.size() == 37) {
                        return false;
                    }
                    batch.add(d);
                    return true;
                });
            }
            all.addAll(batch);
            if (batch.size() < 37) {
                return all;
            }
            long next = batch.get(batch.size() - 1).nextCookie();
            if (next <= cookie) {
                throw new IllegalStateException("readdir cookie went from " + cookie + " to " + next);
            }
            cookie = next;
        }
    }

    private void walk(Vnode dir, byte[] path, long parent, Set<Long> seen) throws IOException {
        for (Dirent d : list(dir)) {
            if (nodes.size() >= maxNodes) {
                return;
            }
            if (d.name().isDot()) {
                if (d.fileid() != dir.fileid()) {
                    problems.add(hex(path) + ": '.' is " + d.fileid() + ", expected " + dir.fileid());
                }
                continue;
            }
            if (d.name().isDotDot()) {
                if (d.fileid() != parent) {
                    problems.add(hex(path) + ": '..' is " + d.fileid() + ", expected " + parent);
                }
                continue;
            }
            byte[] name = d.name().bytes();
            byte[] child = new byte[path.length + 1 + name.length];
            System.arraycopy(path, 0, child, 0, path.length);
            child[path.length] = '/';
            System.arraycopy(name, 0, child, path.length + 1, name.length);
            Vnode vp;
            try (Vnode.Locked l = dir.lock(Vnode.LockMode.SHARED)) {
                vp = ops.lookup(dir, d.name());
            }
            try (vp) {
                if (vp.fileid() != d.fileid()) {
                    problems.add(hex(child) + ": readdir says inode " + d.fileid() + ", lookup " + vp.fileid());
                }
                Vattr va = getattr(vp);
                String sha = null;
                byte[] target = null;
                if (va.type == VType.VREG) {
                    sha = sha256(vp);
                } else if (va.type == VType.VLNK) {
                    try (Vnode.Locked l = vp.lock(Vnode.LockMode.SHARED)) {
                        target = ops.readlink(vp);
                    }
                }
                nodes.put(hex(child), new Node(child, va, d.type(), sha, target));
                if (va.type == VType.VDIR && seen.add(vp.fileid())) {
                    walk(vp, child, dir.fileid(), seen);
                }
            }
        }
    }

    private String sha256(Vnode vp) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024 + 123);
        long off = 0;
        while (off < maxRead) {
            buf.clear();
            int n;
            try (Vnode.Locked l = vp.lock(Vnode.LockMode.SHARED)) {
                n = ops.read(vp, off, buf, 0, Credentials.ROOT);
            }
            if (n == 0) {
                break;
            }
            if (n != buf.position()) {
                throw new VfsException(org.rumpmount.vfs.Errno.EIO, "read returned " + n + " but filled "
                        + buf.position());
            }
            md.update(buf.array(), 0, n);
            off += n;
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Concatenates byte arrays (for tests that build paths). */
    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
