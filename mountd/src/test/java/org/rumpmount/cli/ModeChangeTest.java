package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ModeChangeTest {
    private static int apply(String mode, int from, boolean dir) {
        return ModeChange.parse(mode).apply(from, dir, 022);
    }

    @Test
    void octalModesAreAbsolute() {
        assertEquals(0755, apply("755", 0, false));
        assertEquals(04755, apply("4755", 0777, false));
        assertEquals(0, apply("0", 0777, false));
    }

    @Test
    void symbolicClausesAddRemoveAndSet() {
        assertEquals(0744, apply("u+x", 0644, false));
        assertEquals(0744, apply("u+x,go-w", 0666, false));
        assertEquals(0640, apply("o=", 0644, false));
        assertEquals(0600, apply("go=", 0644, false));
        assertEquals(0444, apply("a-w", 0666, false));
        assertEquals(0777, apply("a+rwx", 0, false));
        assertEquals(0664, apply("g=u", 0644, false));
        assertEquals(0640, apply("u=rw,g=r,o=", 0777, false));
    }

    @Test
    void omittedWhoMeansAllButTheUmask() {
        assertEquals(0755, apply("+x", 0644, false));
        assertEquals(0644, apply("+w", 0444, false), "umask 022 keeps group and others from w");
        assertEquals(0466, apply("-w", 0666, false), "umask 022 leaves group and others' w alone");
    }

    @Test
    void capitalXAddsExecuteForDirectoriesAndExecutables() {
        assertEquals(0755, apply("a+X", 0644, true));
        assertEquals(0644, apply("a+X", 0644, false));
        assertEquals(0755, apply("a+X", 0744, false));
    }

    @Test
    void setIdAndStickyBits() {
        assertEquals(04755, apply("u+s", 0755, false));
        assertEquals(02755, apply("g+s", 0755, false));
        assertEquals(01777, apply("+t", 0777, true));
        assertEquals(01777, apply("o+t", 0777, true));
        assertEquals(0755, apply("u-s", 04755, false));
        assertEquals(02755, apply("u=rwx,go=rx", 02755, true), "= keeps a directory's setgid");
        assertEquals(0755, apply("u=rwx,go=rx", 02755, false));
    }

    @Test
    void badModesAreRefusedNamingTheMode() {
        for (String bad : new String[] {"", "8", "77777", "u", "u+q", "z+x", "u+x,"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModeChange.parse(bad), bad);
            assertEquals("invalid mode: '" + bad + "'", e.getMessage());
        }
    }
}
