package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * python3 scripts run on the host, as root or as another user, for the calls java.nio has no
 * method for and for calls as other users (setpriv(1) switches ids; the mount needs
 * allow_other). A script prints what each call did, and the test compares the whole output.
 */
final class Python3 {
    /** Ids for processes: uid:gid[:supplementary groups], as the file system contract's users. */
    static final String ROOT = "0:0";
    static final String ALICE = "1000:1000";
    static final String BOB = "1001:1001";
    /** Supplementary group 1000, Alice's. */
    static final String CAROL = "1002:1002:1000";
    /** Primary group 1000, Alice's. */
    static final String DAVE = "1005:1000";

    /**
     * What python3 scripts start with: {@code t(label, fn, *args)} prints the label and "ok" or
     * the errno's name, so a script's whole output says what each call did.
     */
    private static final String PRELUDE = String.join("\n",
            "import errno, os, stat, sys",
            "def t(label, fn, *a):",
            "    try:",
            "        fn(*a)",
            "        print(label, 'ok')",
            "    except OSError as e:",
            "        print(label, errno.errorcode.get(e.errno, e.errno))",
            "def put(p, data=b'x', mode=0o644):",
            "    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)",
            "    try:",
            "        os.write(fd, data)",
            "    finally:",
            "        os.close(fd)",
            "def rd(p):",
            "    fd = os.open(p, os.O_RDONLY)",
            "    try:",
            "        return os.read(fd, 1 << 20)",
            "    finally:",
            "        os.close(fd)",
            "def op(p, flags):",
            "    os.close(os.open(p, flags, 0o644))",
            "");

    /**
     * Debian's python3 (the CI installs it), which other users may run, unlike one under root's
     * home that PATH may find first.
     */
    private static final String SYSTEM_PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    /**
     * Runs a python3 script in {@code dir} as {@code who} (setpriv(1) switches ids;
     * the mount has allow_other) and asserts its output, line by line.
     */
    static void expectIn(Path dir, String who, String script, String... lines) {
        String[] ids = who.split(":");
        String[] cmd;
        if (who.equals(ROOT)) {
            cmd = new String[] {"python3", "-S", "-c", PRELUDE + script};
        } else {
            cmd = new String[] {"setpriv", "--reuid=" + ids[0], "--regid=" + ids[1],
                ids.length > 2 ? "--groups=" + ids[2] : "--clear-groups", "--", SYSTEM_PYTHON, "-S", "-c", PRELUDE + script};
        }
        Sh.Result r = Sh.run(dir, cmd);
        assertEquals(0, r.exit(), "python as " + who + ": " + r.stderr());
        assertEquals(lines.length == 0 ? "" : String.join("\n", lines) + "\n", r.out(), "output of the script as " + who);
    }

    static String py(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    /** A python string literal of {@code s}, ASCII only (arguments cross to the process in the locale's charset). */
    static String literal(String s) {
        StringBuilder b = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            if (c == '\\' || c == '\'') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('\'').toString();
    }

    /**
     * getdents64(2) through ctypes: java.nio and os.scandir hide "." and "..", and neither can
     * read a directory a few entries at a time. {@code dents(path, size, between)} lists with
     * a buffer of {@code size} bytes, calling {@code between()} after each chunk.
     */
    static final String DENTS = String.join("\n",
            "import ctypes, struct",
            "libc = ctypes.CDLL(None, use_errno=True)",
            "libc.syscall.restype = ctypes.c_long",
            "NR_GETDENTS64 = {'x86_64': 217, 'aarch64': 61}[os.uname().machine]",
            "def dents(path, size=65536, between=None):",
            "    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)",
            "    buf = ctypes.create_string_buffer(size)",
            "    out = []",
            "    try:",
            "        while True:",
            "            n = libc.syscall(NR_GETDENTS64, fd, buf, size)",
            "            if n < 0:",
            "                raise OSError(ctypes.get_errno(), 'getdents64')",
            "            if n == 0:",
            "                return out",
            "            raw = buf.raw[:n]",
            "            at = 0",
            "            while at < n:",
            "                ino, off, reclen, typ = struct.unpack_from('<QqHB', raw, at)",
            "                name = raw[at + 19:at + reclen].split(b'\\0', 1)[0].decode('latin-1')",
            "                out.append((name, ino, typ))",
            "                at += reclen",
            "            if between:",
            "                between()",
            "    finally:",
            "        os.close(fd)",
            "");

    private Python3() {
    }
}
