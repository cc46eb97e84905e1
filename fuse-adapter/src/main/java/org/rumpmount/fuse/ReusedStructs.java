package org.rumpmount.fuse;

import jnr.ffi.Runtime;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.FuseOperations;

/**
 * The callbacks that run on every request (stat and the open-file calls) with one
 * {@link FileStat} and one {@link FuseFileInfo} view per thread, re-pointed at each call's
 * memory, instead of jnr-fuse's new view per call.
 *
 * <p>Why: a jnr {@code Struct} view is a tree of objects (a FileStat is some forty, a field and
 * timespecs each), made and thrown away for every request: allocation and collection were a
 * visible part of a round trip's CPU. A view holds nothing but the address it reads and writes
 * through, and a thread serves one request at a time, so one per thread does. The operations
 * are the file system's own; only the argument wrapping changes.
 */
final class ReusedStructs {
    private final ThreadLocal<FileStat> stats = ThreadLocal.withInitial(() -> new FileStat(Runtime.getSystemRuntime()));
    /** Made by jnr-fuse's factory on a thread's first call (its constructor is not public). */
    private final ThreadLocal<FuseFileInfo> infos = new ThreadLocal<>();

    private ReusedStructs() {
    }

    /** Replaces jnr-fuse's wrappers of these operations of {@code fs} in {@code ops}. */
    static void install(RumpFuseFs fs, FuseOperations ops) {
        ReusedStructs r = new ReusedStructs();
        ops.getattr.set((path, stbuf) -> fs.getattr(path, r.stat(stbuf)));
        ops.fgetattr.set((path, stbuf, fi) -> fs.fgetattr(path, r.stat(stbuf), r.info(fi)));
        ops.open.set((path, fi) -> fs.open(path, r.info(fi)));
        ops.create.set((path, mode, fi) -> fs.create(path, mode, r.info(fi)));
        ops.read.set((path, buf, size, offset, fi) -> fs.read(path, buf, size, offset, r.info(fi)));
        ops.write.set((path, buf, size, offset, fi) -> fs.write(path, buf, size, offset, r.info(fi)));
        ops.flush.set((path, fi) -> fs.flush(path, r.info(fi)));
        ops.release.set((path, fi) -> fs.release(path, r.info(fi)));
        ops.fsync.set((path, datasync, fi) -> fs.fsync(path, datasync, r.info(fi)));
        ops.ftruncate.set((path, size, fi) -> fs.ftruncate(path, size, r.info(fi)));
    }

    private FileStat stat(jnr.ffi.Pointer p) {
        FileStat s = stats.get();
        s.useMemory(p);
        return s;
    }

    private FuseFileInfo info(jnr.ffi.Pointer p) {
        FuseFileInfo f = infos.get();
        if (f == null) {
            f = FuseFileInfo.of(p);
            infos.set(f);
        } else {
            f.useMemory(p);
        }
        return f;
    }
}
