package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

class ErrnoMapperTest {
    @Test
    void repliesAreNegativeLinuxValues() {
        // Values from Linux's asm-generic/errno-base.h and errno.h, where NetBSD's differ.
        assertEquals(-2, ErrnoMapper.reply(Errno.ENOENT));
        assertEquals(-11, ErrnoMapper.reply(Errno.EAGAIN));
        assertEquals(-35, ErrnoMapper.reply(Errno.EDEADLK));
        assertEquals(-36, ErrnoMapper.reply(Errno.ENAMETOOLONG));
        assertEquals(-38, ErrnoMapper.reply(Errno.ENOSYS));
        assertEquals(-39, ErrnoMapper.reply(Errno.ENOTEMPTY));
        assertEquals(-40, ErrnoMapper.reply(Errno.ELOOP));
        assertEquals(-61, ErrnoMapper.reply(Errno.ENOATTR));
        assertEquals(-75, ErrnoMapper.reply(Errno.EOVERFLOW));
        assertEquals(-95, ErrnoMapper.reply(Errno.EOPNOTSUPP));
        assertEquals(-95, ErrnoMapper.reply(Errno.ENOTSUP));
        assertEquals(-116, ErrnoMapper.reply(Errno.ESTALE));
        assertEquals(-122, ErrnoMapper.reply(Errno.EDQUOT));
        assertEquals(-22, ErrnoMapper.reply(Errno.EFTYPE));
    }

    @Test
    void everyErrnoMapsToAPositiveLinuxValue() {
        for (Errno e : Errno.values()) {
            int r = ErrnoMapper.reply(e);
            assertTrue(r < 0 && r > -134, e + " -> " + r);
        }
    }

    @Test
    void exceptionsCarryTheirErrnoOrEio() {
        assertEquals(-36, ErrnoMapper.reply(new VfsException(Errno.ENAMETOOLONG, "x")));
        assertEquals(-5, ErrnoMapper.reply(new IOException("device gone")));
        assertEquals(-5, ErrnoMapper.reply(new NullPointerException()));
        assertEquals(-5, ErrnoMapper.reply(new StackOverflowError()));
    }
}
