package org.rumpmount.cli;

import org.rumpmount.vfs.VType;

/** The ten-character mode column of ls -l and stat: type letter, then rwx for user, group, other. */
final class ModeString {
    private ModeString() {
    }

    /** The letter ls uses for a file type. */
    static char typeLetter(VType type) {
        return switch (type) {
            case VDIR -> 'd';
            case VLNK -> 'l';
            case VCHR -> 'c';
            case VBLK -> 'b';
            case VFIFO -> 'p';
            case VSOCK -> 's';
            case VREG -> '-';
            default -> '?';
        };
    }

    /**
     * {@code type} plus permission bits {@code mode} (07777) as "drwxr-sr-t": setuid and setgid
     * show as s (S without the execute bit) in the user and group execute places, sticky as t (T).
     */
    static String of(VType type, int mode) {
        char[] c = new char[10];
        c[0] = typeLetter(type);
        triple(c, 1, mode >> 6, (mode & 04000) != 0, 's');
        triple(c, 4, mode >> 3, (mode & 02000) != 0, 's');
        triple(c, 7, mode, (mode & 01000) != 0, 't');
        return new String(c);
    }

    private static void triple(char[] c, int at, int bits, boolean special, char specialLetter) {
        c[at] = (bits & 4) != 0 ? 'r' : '-';
        c[at + 1] = (bits & 2) != 0 ? 'w' : '-';
        boolean x = (bits & 1) != 0;
        if (special) {
            c[at + 2] = x ? specialLetter : Character.toUpperCase(specialLetter);
        } else {
            c[at + 2] = x ? 'x' : '-';
        }
    }

    /** stat's %F words for a type; an empty regular file is "regular empty file". */
    static String typeWords(VType type, long size) {
        return switch (type) {
            case VREG -> size == 0 ? "regular empty file" : "regular file";
            case VDIR -> "directory";
            case VLNK -> "symbolic link";
            case VCHR -> "character special file";
            case VBLK -> "block special file";
            case VFIFO -> "fifo";
            case VSOCK -> "socket";
            default -> "weird file";
        };
    }
}
