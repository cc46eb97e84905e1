package org.rumpmount.fs.lfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rumpmount.block.FileBlockDevice;

/**
 * Checks the superblock, IFILE and segment summary decoders field by field against what
 * NetBSD's dumplfs printed for the same images, and walks every partial segment of the log
 * verifying both checksums.
 */
class LfsDumpTest {
    private static final Pattern FIELD = Pattern.compile("([a-z_][a-z_0-9]*)\\s+(0x[0-9A-Fa-f]+|-?\\d+)");

    private static long num(String s) {
        return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }

    /** "name value" pairs of the lines from {@code from} up to the first line starting with {@code until}. */
    private static Map<String, Long> fields(List<String> lines, String from, String until) {
        Map<String, Long> m = new LinkedHashMap<>();
        boolean in = false;
        for (String line : lines) {
            if (line.startsWith(from)) {
                in = true;
                continue;
            }
            if (in && line.trim().startsWith(until)) {
                break;
            }
            if (in) {
                Matcher x = FIELD.matcher(line);
                while (x.find()) {
                    m.putIfAbsent(x.group(1), num(x.group(2)));
                }
            }
        }
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"nb-lfs-default", "nb-lfs-4k"})
    void superblockAndIfileMatchDumplfs(String image) throws Exception {
        List<String> lines = TestImages.text(image + ".dumplfs.txt").lines().toList();
        Map<String, Long> d = fields(lines, "Master Superblock", "Superblock disk addresses");
        Map<String, Long> cp = fields(lines, "  Checkpoint Info", "tstamp");
        Map<String, Long> ifc = fields(lines, "IFILE contents", "SEGMENT");
        try (FileBlockDevice dev = FileBlockDevice.open(TestImages.image(image), true)) {
            Superblock sb = LfsFileSystem.readSuperblock(dev, Superblock.LABELPAD);
            assertNotNull(sb);
            sb.validate(dev.size());
            assertTrue(sb.checksumOk());
            assertFalse(sb.layout.is64());
            assertEquals(d.get("magic"), (long) sb.magic);
            assertEquals(d.get("version"), (long) sb.version);
            assertEquals(d.get("size"), sb.size);
            assertEquals(d.get("ssize"), sb.ssize);
            assertEquals(d.get("dsize"), sb.dsize);
            assertEquals(d.get("bsize"), (long) sb.bsize);
            assertEquals(d.get("fsize"), (long) sb.fsize);
            assertEquals(d.get("frag"), (long) sb.frag);
            assertEquals(d.get("minfree"), (long) sb.minfree);
            assertEquals(d.get("inopb"), (long) sb.inopb);
            assertEquals(d.get("ifpb"), (long) sb.ifpb);
            assertEquals(d.get("nindir"), (long) sb.nindir);
            assertEquals(d.get("nseg"), sb.nseg);
            assertEquals(d.get("sepb"), (long) sb.sepb);
            assertEquals(d.get("cleansz"), (long) sb.cleansz);
            assertEquals(d.get("segtabsz"), (long) sb.segtabsz);
            assertEquals(d.get("bmask"), sb.bmask);
            assertEquals(d.get("bshift"), (long) sb.bshift);
            assertEquals(d.get("ffmask"), sb.ffmask);
            assertEquals(d.get("ffshift"), (long) sb.ffshift);
            assertEquals(d.get("fbmask"), sb.fbmask);
            assertEquals(d.get("fbshift"), (long) sb.fbshift);
            assertEquals(d.get("fsbtodb"), (long) sb.fsbtodb);
            assertEquals(d.get("cksum"), (long) sb.cksum);
            assertEquals(d.get("nclean"), sb.nclean);
            assertEquals(d.get("dmeta"), sb.dmeta);
            assertEquals(d.get("minfreeseg"), sb.minfreeseg);
            assertEquals(d.get("roll_id"), sb.ident & 0xffffffffL);
            assertEquals(d.get("sumsize"), (long) sb.sumsize);
            assertEquals(d.get("seg0addr"), sb.s0addr);
            assertEquals(d.get("maxfilesize"), sb.maxfilesize);
            assertEquals(cp.get("freehd"), sb.freehd);
            assertEquals(cp.get("idaddr"), sb.idaddr);
            assertEquals(cp.get("ifile"), sb.ifile);
            assertEquals(cp.get("uinodes"), 0L);
            assertEquals(cp.get("bfree"), sb.bfree);
            assertEquals(cp.get("avail"), sb.avail);
            assertEquals(cp.get("nfiles"), sb.nfiles);
            assertEquals(cp.get("lastseg"), sb.lastseg);
            assertEquals(cp.get("nextseg"), sb.nextseg);
            assertEquals(cp.get("curseg"), sb.curseg);
            assertEquals(cp.get("offset"), sb.offset);
            assertEquals(cp.get("serial"), sb.serial);
            // The disk addresses line lists every superblock copy.
            int at = lines.indexOf(lines.stream().filter(l -> l.contains("Superblock disk addresses")).findFirst().orElseThrow());
            String addrs = lines.get(at + 1) + " " + lines.get(at + 2);
            Matcher x = Pattern.compile("0x[0-9a-fA-F]+").matcher(addrs);
            for (int i = 0; i < Superblock.MAXNUMSB; i++) {
                assertTrue(x.find());
                assertEquals(num(x.group()), sb.sboffs[i], "sboffs[" + i + "]");
            }

            LfsFileSystem fs = LfsFileSystem.open(dev);
            assertEquals(sb.serial, fs.sb.serial, "both checkpoints of a cleanly unmounted image agree");
            CleanerInfo ci = fs.cleanerInfo();
            assertEquals(ifc.get("free_head"), ci.freeHead());
            assertEquals(ifc.get("free_tail"), ci.freeTail());
            assertEquals(ifc.get("clean"), ci.clean());
            assertEquals(ifc.get("dirty"), ci.dirty());
            assertEquals(ifc.get("bfree"), ci.bfree());
            assertEquals(ifc.get("avail"), ci.avail());
            assertEquals(sb.nseg, ci.clean() + ci.dirty());
            long dirty = 0;
            for (long sn = 0; sn < sb.nseg; sn++) {
                if (fs.segUse(sn).isDirty()) {
                    dirty++;
                }
            }
            assertEquals(ci.dirty(), dirty, "dirty segments in the usage table");
        }
    }

    /** One "Segment Summary Info" paragraph of dumplfs's output. */
    private record Printed(long address, long nfinfo, long ninos, String flags, long sumsum, long datasum, long serial) {
    }

    private static Map<Long, Printed> printedSummaries(List<String> lines) {
        Map<Long, Printed> out = new HashMap<>();
        Pattern head = Pattern.compile("Segment Summary Info at (0x[0-9a-fA-F]+)");
        for (int i = 0; i + 3 < lines.size(); i++) {
            Matcher h = head.matcher(lines.get(i));
            if (!h.find()) {
                continue;
            }
            Map<String, Long> f = new HashMap<>();
            String flags = null;
            for (int k = 1; k <= 3; k++) {
                Matcher x = FIELD.matcher(lines.get(i + k));
                while (x.find()) {
                    f.put(x.group(1), num(x.group(2)));
                }
                Matcher fl = Pattern.compile("flags\\s+([-A-Z]{4})").matcher(lines.get(i + k));
                if (fl.find()) {
                    flags = fl.group(1);
                }
            }
            if (f.containsKey("serial") && f.containsKey("datasum") && flags != null) {
                out.put(num(h.group(1)), new Printed(num(h.group(1)), f.get("nfinfo"), f.get("ninos"), flags,
                        f.get("sumsum"), f.get("datasum"), f.get("serial")));
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"nb-lfs-default", "nb-lfs-4k"})
    void everyPartialSegmentOfTheLogHasGoodChecksums(String image) throws Exception {
        List<String> lines = TestImages.text(image + ".dumplfs.txt").lines().toList();
        Map<Long, Printed> printed = printedSummaries(lines);
        assertTrue(printed.size() >= 3, "dumplfs shows some summaries");
        try (FileBlockDevice dev = FileBlockDevice.open(TestImages.image(image), true)) {
            LfsFileSystem fs = LfsFileSystem.open(dev);
            LogWalker walker = new LogWalker(fs);
            List<LogWalker.PartialSegment> psegs = walker.walkDirtySegments();
            List<String> bad = new ArrayList<>();
            long maxSerial = 0;
            LogWalker.PartialSegment last = null;
            int blocks = 0;
            for (LogWalker.PartialSegment ps : psegs) {
                assertTrue(ps.summary().sumsumOk());
                if (!ps.datasumOk()) {
                    bad.add(String.format("0x%x: datasum 0x%x, computed 0x%x", ps.address(), ps.summary().datasum, ps.computedDatasum()));
                }
                if (ps.summary().serial > maxSerial) {
                    maxSerial = ps.summary().serial;
                    last = ps;
                }
                blocks += ps.summary().blockCount();
            }
            assertTrue(bad.isEmpty(), bad.toString());
            // The newest partial segment is the one the checkpoint names as the last written.
            assertNotNull(last);
            // The newest partial segment carries the checkpoint's serial number and ends where the
            // checkpoint says the next one goes (a clean checkpoint: nothing to roll forward).
            assertEquals(fs.sb.serial, maxSerial, "newest summary serial");
            assertEquals(fs.sb.offset, last.end(), "the checkpoint's offset follows the newest partial segment");
            assertEquals(fs.sb.curseg, fs.sb.sntod(fs.sb.dtosn(last.address())), "curseg holds the newest partial segment");
            assertEquals(fs.sb.offset, fs.sb.lastpseg, "lastpseg of a clean checkpoint");
            // Nothing in these images was ever cleaned, so every partial segment ever written is
            // still in the log: the walk must find serial numbers 1..serial, each once.
            java.util.TreeSet<Long> serials = new java.util.TreeSet<>();
            for (LogWalker.PartialSegment ps : psegs) {
                assertTrue(serials.add(ps.summary().serial), "serial " + ps.summary().serial + " found twice");
            }
            assertEquals(fs.sb.serial, serials.size());
            assertEquals(1L, serials.first());
            assertEquals(fs.sb.serial, serials.last());
            int matched = 0;
            Map<Long, LogWalker.PartialSegment> byAddress = new HashMap<>();
            for (LogWalker.PartialSegment ps : psegs) {
                byAddress.put(ps.address(), ps);
            }
            for (Printed p : printed.values()) {
                LogWalker.PartialSegment ps = byAddress.get(p.address());
                assertNotNull(ps, String.format("dumplfs shows a summary at 0x%x", p.address()));
                SegmentSummary s = ps.summary();
                assertEquals(p.nfinfo(), s.nfinfo);
                assertEquals(p.ninos(), s.ninos);
                assertEquals(p.flags(), s.flagString());
                assertEquals(p.sumsum(), s.sumsum & 0xffffffffL);
                assertEquals(p.datasum(), s.datasum & 0xffffffffL);
                assertEquals(p.serial(), s.serial);
                matched++;
            }
            System.out.println(image + ": " + psegs.size() + " partial segments (" + blocks + " blocks) verified; "
                    + matched + " compared with dumplfs");
        }
    }

    /**
     * statvfs as lfs_statvfs computes it, worked by hand from dumplfs's figures for the 4k image:
     * dsize 176480, dmeta 3426, nclean 271, nseg 383, bfree 121604, minfree 10, nfiles 3169,
     * inopb 4, ibsize 512; the IFILE holds 20 blocks and one indirect block (168 fragments).
     */
    @org.junit.jupiter.api.Test
    void statvfsFollowsLfsStatvfs() throws Exception {
        try (org.rumpmount.vfs.Kernel kernel = new org.rumpmount.vfs.Kernel(org.rumpmount.vfs.Host.system(),
                        org.rumpmount.vfs.DriverRegistry.load(), new org.rumpmount.vfs.buf.BufferCache(1 << 20));
                FileBlockDevice dev = FileBlockDevice.open(TestImages.image("nb-lfs-4k"), true)) {
            org.rumpmount.vfs.Mount mp = kernel.mount("lfs", dev, org.rumpmount.vfs.MountOptions.readOnly());
            org.rumpmount.vfs.StatVfs st = mp.vfsOps().statvfs();
            long cmeta = 3426L * 271 / 383;                 // LFS_EST_CMETA = 2424
            long nonmeta = 176480 - 3426 - cmeta;           // LFS_EST_NONMETA = 170630
            assertEquals(4096, st.blockSize());
            assertEquals(512, st.fragmentSize());
            assertEquals(nonmeta - 168, st.blocks());
            assertEquals(121604 - cmeta, st.blocksFree());
            assertEquals(121604 - cmeta - nonmeta * 10 / 100, st.blocksAvailable());
            assertEquals(121604L / 1 * 4, st.files());
            assertEquals(121604L * 4 - 3169, st.filesFree());
            assertEquals(255, st.nameMax());
            assertTrue(st.readOnly());
            kernel.unmount(mp, false);
        }
    }
}
