package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.Name;

/**
 * Names are bytes. Names that are not valid UTF-8 are made by python3 with byte paths on the
 * host side, listed back byte-exact through readdir, and seen with the same bytes inside the
 * kernel. The JVM runs with file.encoding ISO-8859-1 (see the failsafe configuration).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NamesIT extends OnFreshTmpfs {
    private static final String MAKE_AND_LIST = String.join("\n",
            "import os,sys",
            "name = bytes.fromhex(sys.argv[1])",
            "os.mkdir(sys.argv[2])",
            "os.chdir(sys.argv[2])",
            "with open(name, 'wb') as fh: fh.write(b'content of ' + name)",
            "os.mkdir(name + b'.d')",
            "with open(name + b'.d/' + name, 'wb') as fh: fh.write(b'inner')",
            "print(' '.join(sorted(n.hex() for n in os.listdir(b'.'))))",
            "print(open(name, 'rb').read().hex())",
            "print(open(name + b'.d/' + name, 'rb').read().decode())",
            "print(os.stat(name).st_size)");

    private int rounds;

    /** Makes a file and a directory named {@code name} (and name.d) in a fresh directory, from the host. */
    private void roundTrip(byte[] name) throws IOException {
        HexFormat hex = HexFormat.of();
        String sub = "round" + rounds++;
        String[] out = Sh.python(f.dir, MAKE_AND_LIST, hex.formatHex(name), sub).ok().out().split("\n");
        byte[] dirName = (new String(name, java.nio.charset.StandardCharsets.ISO_8859_1) + ".d")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        List<String> want = List.of(hex.formatHex(name), hex.formatHex(dirName));
        assertEquals(want.stream().sorted().collect(Collectors.joining(" ")), out[0], "readdir through FUSE");
        byte[] content = new byte[11 + name.length];
        System.arraycopy("content of ".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, content, 0, 11);
        System.arraycopy(name, 0, content, 11, name.length);
        assertEquals(hex.formatHex(content), out[1]);
        assertEquals("inner", out[2]);
        // Inside the kernel the name is the same bytes.
        List<Name> inKernel = f.facade.readdir("/" + sub).stream().map(Dirent::name).collect(Collectors.toList());
        assertTrue(inKernel.contains(Name.of(name)), "kernel sees " + inKernel);
    }

    @Test
    void latin1NameThatIsNotUtf8() throws IOException {
        roundTrip(new byte[] {'c', 'a', 'f', (byte) 0xe9});
    }

    @Test
    void bytesThatAreNeverValidUtf8() throws IOException {
        roundTrip(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0x80, 'x', (byte) 0xc0, (byte) 0xaf});
    }

    @Test
    void validUtf8NamesInBothNormalForms() throws IOException {
        roundTrip("caf\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        roundTrip("cafe\u0301".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // Two different byte strings are two different names: both stay when put side by side.
        Sh.python(f.dir, "open('caf\\u00e9', 'w').close()\nopen('cafe\\u0301', 'w').close()").ok();
        assertEquals(2, f.facade.readdir("/").stream().filter(d -> d.name().toString().startsWith("caf")).count());
    }

    @Test
    void controlCharactersAndSpaces() throws IOException {
        roundTrip(new byte[] {'a', ' ', 'b', '\n', 'c', '\t', 1, 0x7f});
    }

    @Test
    void namesOf255BytesWorkAnd256AreEnametoolong() throws IOException {
        String ok = "a".repeat(255);
        String tooLong = "b".repeat(256);
        Sh.run(f.dir, "touch", ok).ok();
        Sh.run(f.dir, "mkdir", "dir").ok();
        String script = String.join("\n",
                "import os,errno,sys",
                "long = sys.argv[1]",
                "def code(fn):",
                "    try:",
                "        fn()",
                "        return 'ok'",
                "    except OSError as e:",
                "        return errno.errorcode[e.errno]",
                "print('create', code(lambda: open(long, 'w')))",
                "print('mkdir', code(lambda: os.mkdir(long)))",
                "print('rename', code(lambda: os.rename(sys.argv[2], long)))",
                "print('link', code(lambda: os.link(sys.argv[2], long)))",
                "print('symlink', code(lambda: os.symlink('target', long)))",
                "print('mkdir-inside', code(lambda: os.mkdir('dir/' + long)))",
                "print('stat', code(lambda: os.stat(long)))");
        String out = Sh.python(f.dir, script, tooLong, ok).ok().out();
        assertEquals(String.join("\n", "create ENAMETOOLONG", "mkdir ENAMETOOLONG", "rename ENAMETOOLONG",
                "link ENAMETOOLONG", "symlink ENAMETOOLONG", "mkdir-inside ENAMETOOLONG", "stat ENAMETOOLONG", ""), out);
        // Nothing was made, and the 255-byte name is intact.
        Sh.assertOk(Sh.run(f.dir, "ls"), ok + "\ndir\n");
    }

    @Test
    void symlinkTargetsAreBytesToo() throws IOException {
        String out = Sh.python(f.dir, String.join("\n",
                "import os",
                "t = b'\\xff\\xfe/caf\\xe9'",
                "os.symlink(t, b'l')",
                "print(os.readlink(b'l').hex())")).ok().out();
        assertEquals("fffe2f636166e9\n", out);
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xfe, '/', 'c', 'a', 'f', (byte) 0xe9}, f.facade.readlink("/l"));
    }
}
