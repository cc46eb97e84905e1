package org.rumpmount.fs.tmpfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rumpmount.fs.tmpfs.TmpfsFixture.assertErrno;
import static org.rumpmount.fs.tmpfs.TmpfsFixture.bytes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VType;
import org.rumpmount.vfs.Vattr;
import org.rumpmount.vfs.Vnode;

/** Reading, writing and truncating regular files: sparse pages, limits and errors. */
class TmpfsFileDataTest {
    private static final int PAGE = 4096;

    @Test
    void writtenBytesReadBackAcrossPageBoundaries() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            byte[] data = new byte[3 * PAGE + 100];
            new Random(7).nextBytes(data);
            assertEquals(data.length, fs.write(f, PAGE - 50, data));
            assertEquals(PAGE - 50 + data.length, fs.getattr(f).size);
            assertArrayEquals(data, fs.read(f, PAGE - 50, data.length));
            assertArrayEquals(Arrays.copyOfRange(data, 10, 20), fs.read(f, PAGE - 40, 10));
        }
    }

    @Test
    void readStopsAtEndOfFile() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            fs.write(f, 0, bytes("hello"));
            assertArrayEquals(bytes("llo"), fs.read(f, 2, 100));
            assertEquals(0, fs.read(f, 5, 10).length);
            assertEquals(0, fs.read(f, 1 << 40, 10).length);
        }
    }

    @Test
    void holesReadAsZerosAndHoldNoPages() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            long far = 1L << 40;
            fs.write(f, far, bytes("end"));
            Vattr va = fs.getattr(f);
            assertEquals(far + 3, va.size);
            assertEquals(PAGE, va.bytes, "only the page written holds memory");
            assertEquals(1, fs.statvfs().blocks() - fs.statvfs().blocksFree());
            assertArrayEquals(new byte[PAGE * 2], fs.read(f, 12345, PAGE * 2));
            byte[] tail = fs.read(f, far - 2, 10);
            assertArrayEquals(new byte[] {0, 0, 'e', 'n', 'd'}, tail);
        }
    }

    @Test
    void writeIntoAHoleAllocatesOnlyThatPage() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            fs.truncate(f, 10 * PAGE);
            assertEquals(0, fs.getattr(f).bytes);
            fs.write(f, 5 * PAGE + 7, bytes("x"));
            assertEquals(PAGE, fs.getattr(f).bytes);
            assertEquals(10 * PAGE, fs.getattr(f).size, "a write inside the file does not grow it");
        }
    }

    @Test
    void truncateDownFreesPagesAndZeroesThePartialTail() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount("size=1m"); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            byte[] ones = new byte[3 * PAGE];
            Arrays.fill(ones, (byte) 1);
            fs.write(f, 0, ones);
            assertEquals(253, fs.statvfs().blocksFree());
            fs.truncate(f, PAGE + 10);
            assertEquals(2 * PAGE, fs.getattr(f).bytes);
            assertEquals(254, fs.statvfs().blocksFree(), "the third page went back to the mount");
            fs.truncate(f, 3 * PAGE);
            byte[] back = fs.read(f, 0, 3 * PAGE);
            for (int i = 0; i < back.length; i++) {
                assertEquals(i < PAGE + 10 ? 1 : 0, back[i], "byte " + i);
            }
            assertEquals(2 * PAGE, fs.getattr(f).bytes, "growing adds a hole, not pages");
            fs.truncate(f, 0);
            assertEquals(0, fs.getattr(f).bytes);
            assertEquals(256, fs.statvfs().blocksFree());
        }
    }

    @Test
    void truncateToAPageBoundaryKeepsWholePages() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            fs.write(f, 0, new byte[2 * PAGE + 1]);
            fs.truncate(f, PAGE);
            assertEquals(PAGE, fs.getattr(f).bytes);
            assertEquals(PAGE, fs.getattr(f).size);
        }
    }

    @Test
    void writeBeyondTheLargestFileSizeIsEfbigAndStopsAtIt() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            long max = TmpfsFileData.MAX_FILE_SIZE;
            assertErrno(Errno.EFBIG, () -> fs.write(f, max, bytes("x")));
            assertErrno(Errno.EFBIG, () -> fs.write(f, Long.MAX_VALUE, bytes("x")));
            assertEquals(1, fs.write(f, max - 1, bytes("xyz")), "as many bytes as fit are written");
            assertEquals(max, fs.getattr(f).size);
            assertArrayEquals(bytes("x"), fs.read(f, max - 1, 10));
            assertErrno(Errno.EFBIG, () -> fs.truncate(f, max + 1));
            assertErrno(Errno.EINVAL, () -> fs.truncate(f, -2));
            assertEquals(max, fs.getattr(f).size, "a refused truncate changes nothing");
        }
    }

    @Test
    void runningOutOfPagesIsEnospcOrAShortWrite() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount("size=16k"); Vnode root = fs.root(); Vnode f = fs.create(root, "f");
             Vnode g = fs.create(root, "g")) {
            assertEquals(2 * PAGE, fs.write(f, 0, new byte[2 * PAGE]));
            assertEquals(2 * PAGE - 100, fs.write(g, 100, new byte[5 * PAGE]), "the write stops where space ends");
            assertEquals(2 * PAGE, fs.getattr(g).size);
            assertEquals(0, fs.statvfs().blocksFree());
            assertErrno(Errno.ENOSPC, () -> fs.write(f, 10 * PAGE, bytes("no room")));
            assertEquals(2 * PAGE, fs.getattr(f).size, "a refused write changes no size");
            assertEquals(3, fs.write(f, 5, bytes("fit")), "writes into held pages still work");
            fs.truncate(g, 0);
            assertEquals(7, fs.write(f, 10 * PAGE, bytes("no room")));
        }
    }

    @Test
    void zeroLengthReadsAndWritesDoNothing() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount("size=4k"); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            Vattr before = fs.getattr(f);
            fs.host.tick();
            assertEquals(0, fs.write(f, 1L << 30, new byte[0]));
            assertEquals(0, fs.read(f, 0, 0).length);
            Vattr after = fs.getattr(f);
            assertEquals(0, after.size);
            assertEquals(before.mtime, after.mtime);
            assertEquals(before.atime, after.atime);
        }
    }

    @Test
    void readAndWriteRefuseDirectoriesOtherTypesAndNegativeOffsets() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f");
             Vnode l = fs.symlink(root, "l", "f"); Vnode p = fs.mknod(root, "p", TmpfsFixture.attrs(VType.VFIFO, 0644))) {
            assertErrno(Errno.EISDIR, () -> fs.read(root, 0, 1));
            assertErrno(Errno.EISDIR, () -> fs.write(root, 0, bytes("x")));
            assertErrno(Errno.EINVAL, () -> fs.read(l, 0, 1));
            assertErrno(Errno.EINVAL, () -> fs.write(p, 0, bytes("x")));
            assertErrno(Errno.EINVAL, () -> fs.read(f, -1, 1));
            assertErrno(Errno.EINVAL, () -> fs.write(f, -1, bytes("x")));
        }
    }

    @Test
    void writeByAnOrdinaryUserClearsSetIdBits() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root();
             Vnode f = fs.create(root, "f", TmpfsFixture.attrs(VType.VREG, 06755));
             Vnode g = fs.create(root, "g", TmpfsFixture.attrs(VType.VREG, 06755))) {
            fs.write(f, 0, bytes("root may"), TmpfsFixture.ROOT);
            assertEquals(06755, fs.getattr(f).mode);
            fs.write(g, 0, bytes("user may not"), TmpfsFixture.USER);
            assertEquals(0755, fs.getattr(g).mode);
        }
    }

    @Test
    void readFillsOnlyTheBufferRemaining() throws IOException {
        try (TmpfsFixture fs = TmpfsFixture.mount(); Vnode root = fs.root(); Vnode f = fs.create(root, "f")) {
            fs.write(f, 0, bytes("abcdef"));
            ByteBuffer buf = ByteBuffer.allocate(10);
            buf.position(2).limit(5);
            try (Vnode.Locked lk = f.lock(Vnode.LockMode.SHARED)) {
                assertEquals(3, fs.ops.read(f, 1, buf, 0, TmpfsFixture.ROOT));
            }
            assertEquals(5, buf.position());
            assertArrayEquals(new byte[] {0, 0, 'b', 'c', 'd', 0, 0, 0, 0, 0}, buf.array());
        }
    }
}
