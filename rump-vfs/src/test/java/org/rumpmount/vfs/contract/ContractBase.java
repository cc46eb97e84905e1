package org.rumpmount.vfs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.DriverRegistry;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.Mount;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.buf.BufferCache;

/**
 * What every contract suite needs of a driver, and the per-test fixture: a fresh kernel on a
 * {@link FakeClockHost}, a fresh mount, and at the end an fsck-style audit, a check that no
 * vnode is still referenced (a leak) and an unmount.
 *
 * <p>A driver plugs in by implementing {@link #mountFresh} and overriding the capability hooks
 * that differ from the defaults.
 */
public abstract class ContractBase {
    /** An ordinary user. */
    protected static final Credentials ALICE = new Credentials(1000, 1000);
    /** Another ordinary user, in no group of Alice's. */
    protected static final Credentials BOB = new Credentials(1001, 1001);
    /** A third user whose supplementary groups include Alice's group 1000. */
    protected static final Credentials CAROL = new Credentials(1002, 1002, 1000);
    /** A user whose primary group is Alice's group 1000. */
    protected static final Credentials DAVE = new Credentials(1005, 1000);

    protected FakeClockHost clock;
    protected Kernel kernel;
    protected Mount mount;
    /** The mount as root. */
    protected PathFacade fs;
    /**
     * Set by a test whose workers hung: the teardown then leaves the mount alone rather than
     * block on the locks those workers hold.
     */
    protected volatile boolean abandonMount;

    /** A new, empty, read-write file system of a comfortable size, mounted on {@code kernel}. */
    protected abstract Mount mountFresh(Kernel kernel) throws IOException;

    /** Whether link(2) works (every NetBSD disk file system; not msdosfs). */
    protected boolean supportsHardLinks() {
        return true;
    }

    /** The largest file size the file system allows, or {@code Long.MAX_VALUE} when it has no limit of its own. */
    protected long maxFileSize() {
        return Long.MAX_VALUE;
    }

    /** Whether a file with a hole beyond 4 GiB costs no more than its data (no dense allocation). */
    protected boolean supportsSparseFiles() {
        return true;
    }

    /** Whether {@link #mountSmall} can make a file system small enough to fill in a test. */
    protected boolean hasSpaceLimit() {
        return false;
    }

    /** A new, empty file system of about {@code bytes} bytes, for ENOSPC tests. */
    protected Mount mountSmall(Kernel kernel, long bytes) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no space limit");
    }

    /**
     * The same file system as {@code rw}, unmounted and mounted again read-only, or null when the
     * driver cannot (a file system without a device loses its contents at unmount). The default
     * remounts the device.
     */
    protected Mount remountReadOnly(Kernel kernel, Mount rw) throws IOException {
        BlockDevice dev = rw.device();
        if (dev == null) {
            return null;
        }
        kernel.unmount(rw, false);
        return kernel.mount(rw.type(), dev, MountOptions.readOnly());
    }

    /** A new, empty file system mounted read-only. The default makes one and remounts it. */
    protected Mount mountEmptyReadOnly(Kernel kernel) throws IOException {
        Mount m = remountReadOnly(kernel, mountFresh(kernel));
        Assumptions.assumeTrue(m != null, "driver cannot mount read-only");
        return m;
    }

    /** Releases what {@link #mountFresh} made besides the mount (a device) after unmount. */
    protected void disposeDevice(BlockDevice dev) throws IOException {
        if (dev != null) {
            dev.close();
        }
    }

    /** Buffer cache size for the test kernel: small, to make eviction happen. */
    protected long bufferCacheBytes() {
        return 4L << 20;
    }

    @BeforeEach
    final void mountForTest() throws IOException {
        clock = new FakeClockHost();
        kernel = new Kernel(clock, DriverRegistry.load(), new BufferCache(bufferCacheBytes()));
        mount = mountFresh(kernel);
        fs = new PathFacade(mount, Credentials.ROOT);
    }

    /**
     * Audits, checks for leaked vnode references and unmounts every mount the test made. The
     * audit and leak check run only on mounts still in place (a test may have remounted).
     */
    @AfterEach
    final void auditAndUnmount() throws IOException {
        if (abandonMount) {
            return;
        }
        AssertionError failure = null;
        try {
            for (Mount m : kernel.mounts()) {
                PathFacade root = new PathFacade(m, Credentials.ROOT);
                List<String> problems = TreeAudit.audit(root);
                if (!problems.isEmpty()) {
                    failure = new AssertionError("file system inconsistent after the test:\n  " + String.join("\n  ", problems));
                    break;
                }
                int referenced = m.vnodes().referenced();
                if (referenced != 0) {
                    failure = new AssertionError(m + ": " + referenced + " vnode(s) still referenced after every handle was closed");
                    break;
                }
            }
        } finally {
            for (Mount m : kernel.mounts()) {
                try {
                    kernel.unmount(m, failure != null);
                } catch (IOException e) {
                    if (failure == null) {
                        failure = new AssertionError("unmount of " + m + " failed", e);
                    }
                }
                disposeDevice(m.device());
            }
            kernel.close();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Asserts the tree is consistent now (mid-test). */
    protected final void assertConsistent() throws IOException {
        List<String> problems = TreeAudit.audit(fs);
        if (!problems.isEmpty()) {
            fail("file system inconsistent:\n  " + String.join("\n  ", problems));
        }
    }

    /** Asserts that nothing holds a vnode of {@code m} right now. */
    protected static void assertNoVnodeReferenced(Mount m) {
        assertEquals(0, m.vnodes().referenced(), m + ": vnodes still referenced");
    }
}
