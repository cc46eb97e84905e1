package org.rumpmount.vfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One mount's vnodes, keyed by file id, with reference counts (NetBSD's vcache).
 *
 * <p>At most one vnode exists per file id. A vnode being loaded or reclaimed is waited for, so
 * no thread can see a half-built vnode or read an inode from disk while its old vnode is still
 * writing it back. Unreferenced vnodes stay cached, least recently used first, up to
 * {@code maxUnused}; beyond that the oldest is reclaimed.
 */
public final class VnodeCache {
    private static final Logger LOG = Logger.getLogger(VnodeCache.class.getName());

    /** Builds a new vnode's in-core state: sets its type and data, or throws. */
    @FunctionalInterface
    public interface Loader {
        void load(Vnode vp) throws IOException;
    }

    private final Mount mount;
    private final int maxUnused;
    private final Map<Long, Vnode> vnodes = new HashMap<>();
    private final LinkedHashSet<Vnode> unused = new LinkedHashSet<>();

    VnodeCache(Mount mount, int maxUnused) {
        this.mount = mount;
        this.maxUnused = maxUnused;
    }

    /**
     * The referenced vnode for {@code fileid}: the cached one, or a new one built by
     * {@code loader}. If loading fails the vnode is discarded and the error thrown.
     */
    public Vnode get(long fileid, Loader loader) throws IOException {
        Vnode vp;
        synchronized (this) {
            while (true) {
                vp = vnodes.get(fileid);
                if (vp == null) {
                    vp = new Vnode(mount, fileid, this);
                    vp.usecount = 1;
                    vnodes.put(fileid, vp);
                    break;
                }
                if (vp.state == Vnode.State.ACTIVE) {
                    if (vp.usecount++ == 0) {
                        unused.remove(vp);
                    }
                    return vp;
                }
                waitUninterruptibly();
            }
        }
        try {
            loader.load(vp);
        } catch (IOException | RuntimeException | Error e) {
            synchronized (this) {
                vnodes.remove(fileid);
                vp.state = Vnode.State.RECLAIMED;
                notifyAll();
            }
            throw e;
        }
        synchronized (this) {
            vp.state = Vnode.State.ACTIVE;
            notifyAll();
        }
        return vp;
    }

    /** The cached, active vnode for {@code fileid} with a new reference, or null. */
    public synchronized Vnode peek(long fileid) {
        Vnode vp = vnodes.get(fileid);
        if (vp == null || vp.state != Vnode.State.ACTIVE) {
            return null;
        }
        if (vp.usecount++ == 0) {
            unused.remove(vp);
        }
        return vp;
    }

    synchronized void vref(Vnode vp) {
        if (vp.state != Vnode.State.ACTIVE && vp.state != Vnode.State.LOADING) {
            throw new IllegalStateException("vref of " + vp + " in state " + vp.state);
        }
        if (vp.usecount++ == 0) {
            unused.remove(vp);
        }
    }

    void vrele(Vnode vp) {
        synchronized (this) {
            if (vp.usecount <= 0) {
                throw new IllegalStateException("vrele of unreferenced " + vp);
            }
            if (--vp.usecount > 0) {
                return;
            }
        }
        boolean recycle;
        try (Vnode.Locked l = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
            recycle = vp.ops().inactive(vp);
        } catch (IOException | RuntimeException e) {
            // There is no caller to hand this to: vrele runs on every exit path. Keep the vnode
            // cached so nothing is lost; the next inactive or unmount retries the write-back.
            LOG.log(Level.WARNING, "inactive failed for " + vp, e);
            recycle = false;
        }
        List<Vnode> victims = new ArrayList<>(1);
        synchronized (this) {
            if (vp.usecount == 0 && vp.state == Vnode.State.ACTIVE) {
                if (recycle) {
                    vp.state = Vnode.State.RECLAIMING;
                    victims.add(vp);
                } else {
                    unused.add(vp);
                    while (unused.size() > maxUnused) {
                        Iterator<Vnode> it = unused.iterator();
                        Vnode old = it.next();
                        it.remove();
                        old.state = Vnode.State.RECLAIMING;
                        victims.add(old);
                    }
                }
            }
        }
        for (Vnode v : victims) {
            reclaim(v);
        }
    }

    private void reclaim(Vnode vp) {
        try (Vnode.Locked l = vp.lock(Vnode.LockMode.EXCLUSIVE)) {
            vp.ops().reclaim(vp);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "reclaim failed for " + vp, e);
        } finally {
            synchronized (this) {
                vnodes.remove(vp.fileid(), vp);
                vp.state = Vnode.State.RECLAIMED;
                notifyAll();
            }
        }
    }

    /**
     * Reclaims every unreferenced vnode (for unmount). Returns the vnodes still referenced,
     * which the caller reports as EBUSY unless forcing.
     */
    public List<Vnode> flush() {
        List<Vnode> victims = new ArrayList<>();
        List<Vnode> busy = new ArrayList<>();
        synchronized (this) {
            for (Vnode vp : unused) {
                vp.state = Vnode.State.RECLAIMING;
                victims.add(vp);
            }
            unused.clear();
            for (Vnode vp : vnodes.values()) {
                if (vp.usecount > 0) {
                    busy.add(vp);
                }
            }
        }
        for (Vnode vp : victims) {
            reclaim(vp);
        }
        return busy;
    }

    /** Vnodes currently cached (referenced or not). */
    public synchronized int size() {
        return vnodes.size();
    }

    /** Vnodes currently referenced: at unmount, anything above zero is a leak or a busy file. */
    public synchronized int referenced() {
        int n = 0;
        for (Vnode vp : vnodes.values()) {
            if (vp.usecount > 0) {
                n++;
            }
        }
        return n;
    }

    private void waitUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                wait();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
