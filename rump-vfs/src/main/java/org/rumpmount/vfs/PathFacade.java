package org.rumpmount.vfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;

/**
 * Path-based calls on one mounted file system, as one caller: the system-call layer of the
 * kernel, in the spirit of NetBSD's libukfs. Used by the CLI, the FUSE adapter and programs
 * that embed the kernel. API placeholder: the implementation lands with its tests.
 */
public final class PathFacade {
    /** utimens: set this time to now. */
    public static final Timespec UTIME_NOW = new Timespec(Long.MIN_VALUE, 999_999_998);
    /** utimens: leave this time alone. */
    public static final Timespec UTIME_OMIT = new Timespec(Long.MIN_VALUE, 999_999_999);

    public PathFacade(Mount mount, Credentials cred) {
        throw new UnsupportedOperationException();
    }

    public PathFacade as(Credentials cred) { throw new UnsupportedOperationException(); }
    public PathFacade withCharset(Charset cs) { throw new UnsupportedOperationException(); }
    public Mount mount() { throw new UnsupportedOperationException(); }
    public Credentials credentials() { throw new UnsupportedOperationException(); }
    public Vnode lookup(String path, boolean followLast) throws IOException { throw new UnsupportedOperationException(); }
    public Vattr stat(String path) throws IOException { throw new UnsupportedOperationException(); }
    public Vattr lstat(String path) throws IOException { throw new UnsupportedOperationException(); }
    public void access(String path, int accmode) throws IOException { throw new UnsupportedOperationException(); }
    public FileHandle open(String path, int flags, int mode) throws IOException { throw new UnsupportedOperationException(); }
    public byte[] readAll(String path) throws IOException { throw new UnsupportedOperationException(); }
    public void writeAll(String path, byte[] data) throws IOException { throw new UnsupportedOperationException(); }
    public int read(String path, long offset, ByteBuffer dst) throws IOException { throw new UnsupportedOperationException(); }
    public int write(String path, long offset, ByteBuffer src) throws IOException { throw new UnsupportedOperationException(); }
    public void truncate(String path, long size) throws IOException { throw new UnsupportedOperationException(); }
    public void mkdir(String path, int mode) throws IOException { throw new UnsupportedOperationException(); }
    public void rmdir(String path) throws IOException { throw new UnsupportedOperationException(); }
    public void unlink(String path) throws IOException { throw new UnsupportedOperationException(); }
    public void rename(String from, String to) throws IOException { throw new UnsupportedOperationException(); }
    public void link(String existing, String newPath) throws IOException { throw new UnsupportedOperationException(); }
    public void symlink(String target, String linkPath) throws IOException { throw new UnsupportedOperationException(); }
    public byte[] readlink(String path) throws IOException { throw new UnsupportedOperationException(); }
    public void mknod(String path, VType type, int mode, long rdev) throws IOException { throw new UnsupportedOperationException(); }
    public List<Dirent> readdir(String path) throws IOException { throw new UnsupportedOperationException(); }
    public void readdir(String path, long cookie, DirentSink sink) throws IOException { throw new UnsupportedOperationException(); }
    public void chmod(String path, int mode) throws IOException { throw new UnsupportedOperationException(); }
    public void chown(String path, long uid, long gid) throws IOException { throw new UnsupportedOperationException(); }
    public void lchown(String path, long uid, long gid) throws IOException { throw new UnsupportedOperationException(); }
    public void utimens(String path, Timespec atime, Timespec mtime) throws IOException { throw new UnsupportedOperationException(); }
    public StatVfs statvfs() throws IOException { throw new UnsupportedOperationException(); }
    public void fsync(String path) throws IOException { throw new UnsupportedOperationException(); }
    public void sync() throws IOException { throw new UnsupportedOperationException(); }
}
