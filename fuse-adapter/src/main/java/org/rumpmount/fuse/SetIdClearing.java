package org.rumpmount.fuse;

import java.io.IOException;
import org.rumpmount.vfs.Access;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.VfsException;

/**
 * The chmod a write by a non-owner brings. Before Linux lets anyone but the owner write to, or
 * truncate, a set-user-ID or set-group-ID file, it clears those bits (file_remove_privs), and a
 * FUSE server without handle_killpriv, as every libfuse 2 one, receives that as a chmod from
 * the writer. The rump kernel rightly refuses a chmod by a non-owner with EPERM, which would
 * fail the write itself. So a chmod refused that way is made with full privileges when it does
 * nothing but clear set-id bits and the caller may write the file: a write would have cleared
 * them in the rump kernel too, so nothing is granted that a write does not.
 */
final class SetIdClearing {
    private static final int SET_ID_BITS = 04000 | 02000;

    private SetIdClearing() {
    }

    /** Whether going from {@code oldMode} to {@code newMode} (permission bits) only clears set-id bits. */
    static boolean onlyClearsSetIdBits(int oldMode, int newMode) {
        int cleared = oldMode & ~newMode;
        return newMode != oldMode && (newMode & ~oldMode) == 0 && (cleared & ~SET_ID_BITS) == 0;
    }

    /** chmod of {@code path} to {@code mode} as {@code caller}, with the exception above. */
    static void chmod(PathFacade facade, Credentials caller, String path, int mode) throws IOException {
        try {
            facade.as(caller).chmod(path, mode);
        } catch (VfsException e) {
            if (e.errno() != Errno.EPERM || caller.isRoot()) {
                throw e;
            }
            PathFacade root = facade.as(Credentials.ROOT);
            if (!onlyClearsSetIdBits(root.lstat(path).mode & 07777, mode)) {
                throw e;
            }
            try {
                facade.as(caller).access(path, Access.VWRITE);
            } catch (VfsException denied) {
                throw e;
            }
            root.chmod(path, mode);
        }
    }
}
