package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountInfoTest {
    private static final String TEXT = String.join("\n",
            "22 27 0:21 / /proc rw,relatime - proc proc rw",
            "36 35 98:0 /mnt1 /mnt/with\\040space rw,noatime master:1 - ext3 /dev/root rw,errors=continue",
            "610 27 0:77 / /tmp/fuse\\134dir rw,nosuid,nodev,relatime shared:300 master:2 - fuse.rumpmount tmpfs\\054x"
                    + " rw,user_id=0,group_id=0,default_permissions",
            "611 27 0:78 / /tmp/caf\\303\\251 rw - fuse.rumpmount rumpmount rw",
            "");

    @Test
    void fieldsAfterTheOptionalOnesAreFound() {
        List<MountInfo.Entry> l = MountInfo.parse(TEXT, StandardCharsets.UTF_8);
        assertEquals(4, l.size());
        assertEquals(new MountInfo.Entry("/proc", "proc", "proc", "rw,relatime"), l.get(0));
        assertEquals("ext3", l.get(1).fsType());
        assertEquals("fuse.rumpmount", l.get(2).fsType());
    }

    @Test
    void octalEscapesAreDecoded() {
        List<MountInfo.Entry> l = MountInfo.parse(TEXT, StandardCharsets.UTF_8);
        assertEquals("/mnt/with space", l.get(1).mountPoint());
        assertEquals("/tmp/fuse\\dir", l.get(2).mountPoint());
        assertEquals("tmpfs,x", l.get(2).source());
        assertEquals("/tmp/caf\u00e9", l.get(3).mountPoint());
    }

    @Test
    void aBackslashWithoutThreeOctalDigitsIsKept() {
        assertEquals("a\\9b", MountInfo.unescape("a\\9b", StandardCharsets.UTF_8));
        assertEquals("a\\", MountInfo.unescape("a\\", StandardCharsets.UTF_8));
    }

    @Test
    void theRealTableHasTheRoot() throws IOException {
        assertTrue(MountInfo.find(Path.of("/")).isPresent());
    }
}
