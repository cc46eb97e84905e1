package org.rumpmount.fs.ffs.fsck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rumpmount.fs.ffs.Dinode;
import org.rumpmount.fs.ffs.DirectoryBlock;

/**
 * The corruption corpus: each damage is made on a fresh copy of a reference image, then
 * {@code fsck -f -n} must find it (exit 4) without changing a byte, {@code fsck -f -y} must
 * repair it (exit 1), a second {@code fsck -f -n} must find the file system clean (exit 0), and
 * the driver must read every file the damage did not touch exactly as before it, and each file
 * fsck reconnected under lost+found with its old content.
 */
class FfsFsckRepairTest {
    private static final Map<String, Map<String, String>> PRISTINE = new ConcurrentHashMap<>();

    /** What a damage touched and where fsck should put what it orphaned. */
    record Damage(List<String> touched, Map<String, String> reconnected, String expect) {
    }

    interface Corruption {
        Damage apply(ImageEditor ed) throws IOException;
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String image : List.of("ufs1-le", "ufs2-le", "ufs2-be", "nb-ffs2")) {
            for (String c : List.of("wrong link count", "unreferenced file", "entry to a free inode",
                    "block claimed twice", "bitmap bits flipped", "superblock free count", "cylinder group free count",
                    "zeroed directory block", "broken dotdot", "directory loop", "bad primary superblock",
                    "bad inode type", "wrong block count", "partially allocated inode", "unreferenced directory",
                    "unreachable directory cycle", "blocks past the end of a file", "bad cylinder group magic")) {
                out.add(Arguments.of(image, c));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void detectRepairRecheck(String image, String corruption) throws IOException {
        Map<String, String> before = PRISTINE.computeIfAbsent(image, n -> {
            try {
                return TreeSnapshot.of(FsckImages.copy(n, "pristine"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Path img = FsckImages.copy(image, corruption.replace(' ', '-'));
        Damage dmg;
        try (ImageEditor ed = new ImageEditor(img)) {
            dmg = corruption(corruption).apply(ed);
        }
        String damaged = FsckImages.sha256(img);

        FsckReport n1 = FsckImages.run(img, FsckOptions.checkOnly(true));
        assertEquals(FsckReport.EXIT_UNCORRECTED, n1.exitCode(), n1::toString);
        assertTrue(n1.said(dmg.expect()), () -> "expected \"" + dmg.expect() + "\" in\n" + n1);
        assertEquals(damaged, FsckImages.sha256(img), "fsck -n changed the image");

        FsckReport y = FsckImages.run(img, FsckOptions.yes(true));
        assertEquals(FsckReport.EXIT_CORRECTED, y.exitCode(), y::toString);
        assertTrue(y.said(dmg.expect()), y::toString);

        FsckReport n2 = FsckImages.run(img, FsckOptions.checkOnly(true));
        assertEquals(FsckReport.EXIT_CLEAN, n2.exitCode(), () -> "after repair:\n" + y + "\nrecheck:\n" + n2);

        FsckReport skipped = FsckImages.run(img, FsckOptions.checkOnly(false));
        assertTrue(skipped.skippedClean(), () -> "the repair did not mark the file system clean:\n" + skipped);

        Map<String, String> after = TreeSnapshot.of(img);
        for (Map.Entry<String, String> e : before.entrySet()) {
            if (dmg.touched().stream().anyMatch(t -> e.getKey().equals(t) || e.getKey().startsWith(t + "/"))) {
                continue;
            }
            assertEquals(e.getValue(), after.get(e.getKey()), e.getKey());
        }
        for (Map.Entry<String, String> e : dmg.reconnected().entrySet()) {
            assertEquals(before.get(e.getValue()), after.get(e.getKey()), e.getKey() + " (was " + e.getValue() + ")");
        }
    }

    private static boolean singleLinkFile(ImageEditor ed, ImageEditor.Entry e) {
        return ed.isFile(e) && e.inode().nlink == 1 && e.inode().size > 0 && ed.countWithIno(e.ino()) == 1;
    }

    private static Corruption corruption(String name) {
        return switch (name) {
            case "wrong link count" -> ed -> {
                ImageEditor.Entry f = ed.find(e -> singleLinkFile(ed, e));
                ed.setNlink(f.ino(), 3);
                return new Damage(List.of(), Map.of(), "LINK COUNT FILE I=" + f.ino());
            };
            case "unreferenced file" -> ed -> {
                ImageEditor.Entry f = ed.find(e -> singleLinkFile(ed, e) && e.path().lastIndexOf('/') > 0);
                ed.unlinkEntry(f);
                return new Damage(List.of(f.path()), Map.of("/lost+found/#" + f.ino(), f.path()),
                        "UNREF FILE I=" + f.ino());
            };
            case "entry to a free inode" -> ed -> {
                ImageEditor.Entry f = ed.find(e -> singleLinkFile(ed, e));
                long free = 3;
                while (ed.disk.readInode(free).mode != 0 || ed.countWithIno(free) != 0) {
                    free++;
                }
                ed.repoint(f, free, -1);
                return new Damage(List.of(f.path()), Map.of("/lost+found/#" + f.ino(), f.path()), "UNALLOCATED");
            };
            case "block claimed twice" -> ed -> {
                ImageEditor.Entry a = ed.find(e -> singleLinkFile(ed, e) && e.inode().size >= ed.sb.bsize
                        && e.inode().db[0] != 0);
                ImageEditor.Entry b = ed.find(e -> singleLinkFile(ed, e) && e.inode().size >= ed.sb.bsize
                        && e.ino() != a.ino());
                ed.setDb0(b.ino(), a.inode().db[0]);
                return new Damage(List.of(a.path(), b.path()), Map.of(), "DUP I=" + a.ino());
            };
            case "bitmap bits flipped" -> ed -> {
                ImageEditor.Entry f = ed.find(e -> singleLinkFile(ed, e) && e.inode().size >= ed.sb.bsize
                        && e.inode().db[0] != 0);
                long used = f.inode().db[0];
                int cg = (int) (used / ed.sb.fpg);
                int freeCg = 0;
                long free = -1;
                for (; free < 0 && freeCg < ed.sb.ncg; freeCg++) {
                    try {
                        free = ed.firstFreeFrag(freeCg);
                    } catch (IllegalStateException none) {
                        free = -1;
                    }
                }
                ed.flipFreeBit(freeCg - 1, free);
                ed.flipFreeBit(cg, used);
                return new Damage(List.of(), Map.of(), "BLK(S) MISSING IN BIT MAPS");
            };
            case "superblock free count" -> ed -> {
                ed.addToSuperblockFreeBlocks(3);
                return new Damage(List.of(), Map.of(), "FREE BLK COUNT(S) WRONG IN SUPERBLK");
            };
            case "cylinder group free count" -> ed -> {
                ed.addToCgFreeFrags(1, 2);
                return new Damage(List.of(), Map.of(), "SUMMARY INFORMATION BAD");
            };
            case "zeroed directory block" -> ed -> {
                ImageEditor.Entry d = ed.find(e -> ed.isDir(e) && e.path().lastIndexOf('/') > 0
                        && ed.entries.values().stream().anyMatch(c -> c.dirIno() == e.ino() && singleLinkFile(ed, c)));
                long[] blk = ed.firstDirBlock(d.ino());
                ed.zero(blk[0], (int) blk[1]);
                return new Damage(List.of(d.path()), Map.of(), "DIRECTORY CORRUPTED I=" + d.ino());
            };
            case "broken dotdot" -> ed -> {
                ImageEditor.Entry s = ed.find(e -> ed.isDir(e) && e.path().lastIndexOf('/') > 0);
                ed.writeInt(ed.dotdotAt(s.ino()), 2);
                return new Damage(List.of(), Map.of(), "BAD INODE NUMBER FOR '..' I=" + s.ino());
            };
            case "directory loop" -> ed -> {
                ImageEditor.Entry f = ed.find(e -> singleLinkFile(ed, e) && e.path().split("/").length >= 4);
                ImageEditor.Entry c = ed.entries.values().stream().filter(x -> x.ino() == f.dirIno()).findFirst()
                        .orElseThrow();
                ed.repoint(f, c.dirIno(), DirectoryBlock.DT_DIR);
                return new Damage(List.of(f.path()), Map.of("/lost+found/#" + f.ino(), f.path()),
                        "EXTRANEOUS HARD LINK TO DIRECTORY I=" + c.dirIno());
            };
            case "bad primary superblock" -> ed -> {
                ed.writeInt(ed.sbAt + 1372, 0);
                return new Damage(List.of(), Map.of(), "BAD SUPER BLOCK");
            };
            case "bad inode type" -> ed -> {
                ImageEditor.Entry f = ed.find(e -> singleLinkFile(ed, e));
                Dinode d = ed.disk.readInode(f.ino());
                d.mode = 0170000 | 0644;
                ed.disk.writeInode(f.ino(), d);
                return new Damage(List.of(f.path()), Map.of(), "UNKNOWN FILE TYPE I=" + f.ino());
            };
            case "wrong block count" -> ed -> {
                ImageEditor.Entry f = ed.find(e -> singleLinkFile(ed, e));
                Dinode d = ed.disk.readInode(f.ino());
                d.blocks += 16;
                ed.disk.writeInode(f.ino(), d);
                return new Damage(List.of(), Map.of(), "INCORRECT BLOCK COUNT I=" + f.ino());
            };
            case "blocks past the end of a file" -> ed -> {
                // What a crash leaves when the new block pointers reach the disk and the size does not.
                ImageEditor.Entry f = ed.find(e -> singleLinkFile(ed, e) && e.inode().size > 2L * ed.sb.bsize
                        && e.inode().size <= 12L * ed.sb.bsize);
                Dinode d = ed.disk.readInode(f.ino());
                d.size = ed.sb.bsize;
                ed.disk.writeInode(f.ino(), d);
                return new Damage(List.of(f.path()), Map.of(), "PARTIALLY TRUNCATED INODE I=" + f.ino());
            };
            case "bad cylinder group magic" -> ed -> {
                int cg = ed.sb.ncg - 1;
                ed.writeInt(ed.sb.cgtod(cg) * ed.sb.fsize + 4, 0x12345);
                return new Damage(List.of(), Map.of(), "CG " + cg + ": BAD HEADER");
            };
            case "partially allocated inode" -> ed -> {
                long free = 3;
                while (ed.disk.readInode(free).mode != 0 || ed.countWithIno(free) != 0) {
                    free++;
                }
                Dinode d = ed.disk.readInode(free);
                d.db[3] = 12345;
                d.size = 999;
                ed.disk.writeInode(free, d);
                return new Damage(List.of(), Map.of(), "PARTIALLY ALLOCATED INODE I=" + free);
            };
            case "unreferenced directory" -> ed -> {
                ImageEditor.Entry d = ed.find(e -> ed.isDir(e) && e.path().split("/").length >= 3
                        && ed.entries.values().stream().anyMatch(c -> c.dirIno() == e.ino() && singleLinkFile(ed, c)));
                ImageEditor.Entry child = ed.find(c -> c.dirIno() == d.ino() && singleLinkFile(ed, c));
                ed.unlinkEntry(d);
                return new Damage(List.of(d.path()), Map.of("/lost+found/#" + d.ino() + child.path().substring(
                        d.path().length()), child.path()), "UNREF DIR I=" + d.ino());
            };
            case "unreachable directory cycle" -> ed -> {
                // D leaves its parent; its child C names D in place of a file, and D's ".." names C.
                ImageEditor.Entry c = ed.find(e -> ed.isDir(e) && e.path().split("/").length >= 3
                        && ed.entries.values().stream().anyMatch(x -> x.dirIno() == e.ino() && singleLinkFile(ed, x)));
                ImageEditor.Entry d = ed.entries.values().stream().filter(x -> x.ino() == c.dirIno()).findFirst()
                        .orElseThrow();
                ImageEditor.Entry f = ed.find(x -> x.dirIno() == c.ino() && singleLinkFile(ed, x));
                ed.unlinkEntry(d);
                ed.repoint(f, d.ino(), DirectoryBlock.DT_DIR);
                ed.writeInt(ed.dotdotAt(d.ino()), (int) c.ino());
                return new Damage(List.of(d.path()), Map.of(), "UNREF DIR I=");
            };
            default -> throw new IllegalArgumentException(name);
        };
    }

}
