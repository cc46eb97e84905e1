package org.rumpmount.vfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.rumpmount.block.BlockDevice;

/**
 * A tiny read-only file system for kernel tests: a root directory (fileid 2) holding files
 * "f3".."fN" (fileid = the number), implementing only lookup, getattr, read and readdir, so
 * that every other operation shows the kernel's EOPNOTSUPP default. Counts inactive and
 * reclaim calls and loads, and recognises devices whose first byte is 'S'.
 */
final class StaticFs implements FileSystemDriver {
    final AtomicInteger loads = new AtomicInteger();
    final AtomicInteger inactives = new AtomicInteger();
    final AtomicInteger reclaims = new AtomicInteger();
    private final int files;

    StaticFs(int files) {
        this.files = files;
    }

    @Override
    public String name() {
        return "staticfs";
    }

    @Override
    public boolean needsDevice() {
        return false;
    }

    @Override
    public Optional<ProbeResult> probe(BlockDevice dev) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1);
        dev.read(0, b);
        return b.get(0) == 'S' ? Optional.of(new ProbeResult("staticfs", "test")) : Optional.empty();
    }

    @Override
    public VfsOps mount(Mount mp, BlockDevice dev) {
        return new Ops(mp);
    }

    private final class Ops implements VfsOps, VnodeOps {
        private final Mount mp;

        Ops(Mount mp) {
            this.mp = mp;
        }

        @Override
        public VnodeOps vnodeOps() {
            return this;
        }

        @Override
        public Vnode root() throws IOException {
            return vget(2);
        }

        @Override
        public Vnode vget(long fileid) throws IOException {
            if (fileid < 2 || fileid > files + 2) {
                throw new VfsException(Errno.ENOENT, "no inode " + fileid);
            }
            return mp.vnodes().get(fileid, vp -> {
                loads.incrementAndGet();
                vp.setType(fileid == 2 ? VType.VDIR : VType.VREG);
                vp.setData(Map.of("id", fileid));
            });
        }

        @Override
        public StatVfs statvfs() {
            return new StatVfs(512, 512, 1, 0, 0, files + 1, 0, 0, 7, 255, true);
        }

        @Override
        public void sync(boolean wait) {
        }

        @Override
        public void unmount(boolean force) {
        }

        @Override
        public Vnode lookup(Vnode dvp, Name name) throws IOException {
            if (name.isDotDot()) {
                return dvp.ref();
            }
            String s = name.toString();
            if (s.startsWith("f")) {
                try {
                    long id = Long.parseLong(s.substring(1));
                    if (id >= 3 && id <= files + 2) {
                        return vget(id);
                    }
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            }
            throw new VfsException(Errno.ENOENT, s);
        }

        @Override
        public Vattr getattr(Vnode vp) {
            Vattr va = new Vattr();
            va.type = vp.type();
            va.mode = vp.type() == VType.VDIR ? 0755 : 0644;
            va.nlink = vp.type() == VType.VDIR ? 2 : 1;
            va.uid = 0;
            va.gid = 0;
            va.fileid = vp.fileid();
            va.size = vp.type() == VType.VDIR ? 512 : 3;
            return va;
        }

        @Override
        public int read(Vnode vp, long offset, ByteBuffer dst, int ioflags, Credentials cred) {
            byte[] data = {'a', 'b', 'c'};
            if (offset >= data.length) {
                return 0;
            }
            int n = (int) Math.min(dst.remaining(), data.length - offset);
            dst.put(data, (int) offset, n);
            return n;
        }

        @Override
        public void readdir(Vnode vp, long cookie, DirentSink sink) throws IOException {
            for (long c = cookie; c < files + 2; c++) {
                Dirent d = c == 0 ? new Dirent(Name.DOT, 2, VType.VDIR, 1)
                        : c == 1 ? new Dirent(Name.DOTDOT, 2, VType.VDIR, 2)
                        : new Dirent(Name.of("f" + (c + 1)), c + 1, VType.VREG, c + 1);
                if (!sink.accept(d)) {
                    return;
                }
            }
        }

        @Override
        public boolean inactive(Vnode vp) {
            inactives.incrementAndGet();
            return false;
        }

        @Override
        public void reclaim(Vnode vp) {
            reclaims.incrementAndGet();
        }
    }
}
