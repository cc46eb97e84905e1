package org.rumpmount.fuse;

import java.nio.file.Path;
import org.rumpmount.vfs.Credentials;
import org.rumpmount.vfs.Kernel;
import org.rumpmount.vfs.MountOptions;
import org.rumpmount.vfs.PathFacade;

/** A FUSE server in its own JVM, to be killed by {@link FuseMountIT}: mounts tmpfs on args[0]. */
public final class DeadMountServer {
    static final String READY = "MOUNTED";

    private DeadMountServer() {
    }

    public static void main(String[] args) throws Exception {
        Kernel k = Kernel.create();
        PathFacade fs = new PathFacade(k.mount("tmpfs", null, MountOptions.readWrite()), Credentials.ROOT);
        FuseMount.mount(fs, Path.of(args[0]), FuseOptions.builder().fsName(FuseFixture.FSNAME).build());
        System.out.println(READY);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
