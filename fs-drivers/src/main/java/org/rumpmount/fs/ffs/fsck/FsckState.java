package org.rumpmount.fs.ffs.fsck;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rumpmount.fs.ffs.Dinode;
import org.rumpmount.fs.ffs.DirectoryBlock;
import org.rumpmount.fs.ffs.Superblock;

/**
 * What the passes learn and share, as fsck_ffs's globals: one state byte and the link counts
 * per inode, the map of fragments in use, the duplicate claims, the directories; plus the
 * dialogue (each question answered by the mode) and the tally of problems.
 */
final class FsckState {
    static final long ROOTINO = 2;

    static final byte USTATE = 0;
    static final byte FSTATE = 1;
    static final byte DSTATE = 2;
    static final byte FCLEAR = 3;
    static final byte DCLEAR = 4;

    /** A directory's place in the tree, as fsck_ffs's struct inoinfo. */
    static final class Dir {
        final long ino;
        long size;
        /** Data blocks: {lbn, fragment address, bytes}. */
        final List<long[]> blocks = new ArrayList<>();
        /** The directory holding the entry chosen as this one's name; 0 while none is known. */
        long parent;
        /** What this directory's ".." says; 0 when it has no ".." entry. */
        long dotdot;
        /** Where the ".." entry lies in this directory; -1 when it has none. */
        long dotdotOffset = -1;
        /** Whether ".." was counted as a link to what it names (only when that is a directory). */
        boolean dotdotCounted;
        /** Every entry naming this directory, other than "." and "..": {directory, offset}. */
        final List<long[]> namedBy = new ArrayList<>();
        boolean found;

        Dir(long ino) {
            this.ino = ino;
        }
    }

    /** Thrown in preen mode at the first inconsistency preen does not fix. */
    static final class PreenStop extends Exception {
        PreenStop(String what) {
            super(what);
        }
    }

    final Superblock sb;
    final Disk disk;
    final FsckOptions options;
    final FsckProgress progress;
    final long maxino;
    final byte[] state;
    /** The directory entry type each allocated inode should have. */
    final byte[] type;
    final int[] nlink;
    final int[] refs;
    final BitSet used;
    final BitSet dups = new BitSet();
    /** Superblock copies, group headers, inode blocks and the summary area: never freed. */
    final BitSet reserved = new BitSet();
    /** Every claimant of each duplicate fragment, filled by phase 1b. */
    final Map<Long, List<Long>> claimants = new TreeMap<>();
    final Map<Long, Dir> dirs = new HashMap<>();
    final List<String> messages = new ArrayList<>();
    /** UFS2: inodes past each group's initialized ones read as zero. */
    final long[] initedInodes;
    long files;
    long usedFrags;
    long lostFound;
    int found;
    int fixed;
    boolean uncorrected;
    boolean superblockDirty;
    final long now = Instant.now().getEpochSecond();

    FsckState(Superblock sb, Disk disk, FsckOptions options, FsckProgress progress) {
        this.sb = sb;
        this.disk = disk;
        this.options = options;
        this.progress = progress;
        this.maxino = sb.inodeCount();
        int n = (int) maxino;
        this.state = new byte[n];
        this.type = new byte[n];
        this.nlink = new int[n];
        this.refs = new int[n];
        this.used = new BitSet((int) Math.min(Integer.MAX_VALUE, sb.totalFrags()));
        this.initedInodes = new long[sb.ncg];
    }

    boolean checkOnly() {
        return options.mode() == FsckOptions.Mode.CHECK_ONLY;
    }

    boolean preen() {
        return options.mode() == FsckOptions.Mode.PREEN;
    }

    void say(String line) {
        messages.add(line);
        progress.message(line);
    }

    /**
     * Reports an inconsistency and asks {@code question}; the answer is the mode's: no for -n, yes
     * for -y, and for -p yes when preen fixes this kind ({@code preenFixes}), otherwise a stop.
     */
    boolean ask(String problem, String question, boolean preenFixes) throws PreenStop {
        found++;
        switch (options.mode()) {
            case CHECK_ONLY -> {
                say(problem + "\n" + question + "? no");
                uncorrected = true;
                return false;
            }
            case YES -> {
                say(problem + "\n" + question + "? yes");
                fixed++;
                return true;
            }
            default -> {
                if (!preenFixes) {
                    say(problem);
                    say("UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY.");
                    uncorrected = true;
                    throw new PreenStop(problem);
                }
                say(problem + " (" + preenWord(question) + ")");
                fixed++;
                return true;
            }
        }
    }

    /** An inconsistency no answer can fix here. */
    void cannotFix(String problem) throws PreenStop {
        found++;
        uncorrected = true;
        say(problem);
        if (preen()) {
            say("UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY.");
            throw new PreenStop(problem);
        }
    }

    private static String preenWord(String question) {
        return switch (question) {
            case "CLEAR" -> "CLEARED";
            case "RECONNECT" -> "RECONNECTED";
            case "ADJUST" -> "ADJUSTED";
            case "CORRECT" -> "CORRECTED";
            default -> question.endsWith("E") ? question + "D" : question + "ED";
        };
    }

    /** Marks a run of fragments in use; returns how many of them were already claimed. */
    int claim(long frag, int count) {
        int dup = 0;
        for (int i = 0; i < count; i++) {
            int f = (int) (frag + i);
            if (used.get(f)) {
                dups.set(f);
                dup++;
            } else {
                used.set(f);
            }
        }
        return dup;
    }

    boolean inRange(long frag, int count) {
        return frag >= 0 && frag + count <= sb.totalFrags() && frag + count > frag;
    }

    /** The directory entry type for an inode mode, as fsck_ffs's typemap. */
    /** Forgets the link a directory's ".." was counted as, before it is repointed. */
    void uncountDotdot(Dir d) {
        if (d.dotdotCounted && d.dotdot > 0 && d.dotdot < maxino) {
            refs[(int) d.dotdot]--;
        }
        d.dotdotCounted = false;
    }

    static byte typeOf(int mode) {
        return (byte) switch (mode & Dinode.IFMT) {
            case Dinode.IFDIR -> DirectoryBlock.DT_DIR;
            case Dinode.IFREG -> DirectoryBlock.DT_REG;
            case Dinode.IFLNK -> DirectoryBlock.DT_LNK;
            case Dinode.IFCHR -> DirectoryBlock.DT_CHR;
            case Dinode.IFBLK -> DirectoryBlock.DT_BLK;
            case Dinode.IFIFO -> DirectoryBlock.DT_FIFO;
            case Dinode.IFSOCK -> DirectoryBlock.DT_SOCK;
            default -> DirectoryBlock.DT_UNKNOWN;
        };
    }

    /** fsck_ffs's pinode: the owner, mode, size and time of an inode, for messages. */
    String describe(long ino) {
        try {
            Dinode d = disk.readInode(ino);
            return " OWNER=" + d.uid + " MODE=" + Integer.toOctalString(d.mode) + "\nSIZE=" + d.size + " MTIME="
                    + Instant.ofEpochSecond(d.mtime);
        } catch (Exception e) {
            return "";
        }
    }
}
