package org.rumpmount.fs.ffs.fsck;

import java.util.ArrayList;
import java.util.List;
import org.rumpmount.block.BlockDevice;
import org.rumpmount.fs.ffs.Superblock;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.VfsException;

/**
 * fsck for FFS (UFS1 and UFS2, either byte order) on an unmounted device, after NetBSD's
 * fsck_ffs: setup (superblock, alternates, clean flag), then phases 1 to 5. With
 * {@link FsckOptions.Mode#CHECK_ONLY} nothing is written: the device is wrapped so that a write
 * cannot reach it. After a run with no inconsistency left, a writable run marks the file system
 * clean.
 */
public final class FfsFsck {
    /** Inode tables beyond this many entries are refused rather than allocated. */
    static final long MAX_INODES = 1L << 27;

    private FfsFsck() {
    }

    public static FsckReport check(BlockDevice device, FsckOptions options) {
        return check(device, options, FsckProgress.NONE);
    }

    public static FsckReport check(BlockDevice device, FsckOptions options, FsckProgress progress) {
        boolean checkOnly = options.mode() == FsckOptions.Mode.CHECK_ONLY;
        BlockDevice dev = checkOnly ? new NoWriteDevice(device) : device;
        Disk disk = new Disk(dev, !checkOnly);
        List<String> early = new ArrayList<>();
        FsckState st = null;
        try {
            if (!checkOnly && device.isReadOnly()) {
                throw new VfsException(Errno.EROFS, device.name() + ": opened read-only; only fsck -n can run");
            }
            early.add("** " + device.name() + (checkOnly ? " (NO WRITE)" : ""));
            progress.message(early.get(0));
            SuperblockSetup.Result found = SuperblockSetup.find(disk, options);
            Superblock sb = found.sb();
            disk.setSuperblock(sb);
            if (sb.inodeCount() > MAX_INODES) {
                throw new VfsException(Errno.EFBIG, device.name() + ": " + sb.inodeCount() + " inodes exceed the "
                        + MAX_INODES + " this fsck keeps tables for");
            }
            if (sb.totalFrags() >= Integer.MAX_VALUE) {
                throw new VfsException(Errno.EFBIG, device.name() + ": " + sb.totalFrags() + " fragments exceed the "
                        + Integer.MAX_VALUE + " this fsck's block maps address");
            }
            st = new FsckState(sb, disk, options, progress);
            st.messages.addAll(early);
            if (found.primaryBad()) {
                if (st.ask(found.why(), "UPDATE STANDARD SUPERBLOCK", false)) {
                    st.superblockDirty = true;
                }
            } else {
                String disagree = SuperblockSetup.compareWithAlternate(disk, sb);
                if (disagree != null) {
                    st.cannotFix("BAD SUPER BLOCK: " + disagree);
                }
            }
            boolean clean = (sb.clean & Superblock.FS_ISCLEAN) != 0;
            if (clean && !found.primaryBad()) {
                st.say("** File system is already clean");
                if (!options.force()) {
                    st.say("** " + device.name() + ": file system is clean; not checking");
                    return report(st, sb, null, true);
                }
            }
            Directories edit = new Directories(st);
            phase(st, 1, "Phase 1 - Check Blocks and Sizes");
            new Pass1(st).run();
            phase(st, 2, "Phase 2 - Check Pathnames");
            new Pass2(st, edit).run();
            phase(st, 3, "Phase 3 - Check Connectivity");
            new Pass3(st, edit).run();
            phase(st, 4, "Phase 4 - Check Reference Counts");
            new Pass4(st, edit).run();
            phase(st, 5, "Phase 5 - Check Cyl groups");
            Pass5 p5 = new Pass5(st);
            p5.run();
            if (!checkOnly) {
                if (!st.uncorrected && (sb.clean & Superblock.FS_ISCLEAN) == 0) {
                    sb.clean = Superblock.FS_ISCLEAN;
                    st.superblockDirty = true;
                }
                if (st.superblockDirty) {
                    sb.sblockloc = sb.hasNewFields() ? found.primaryAt() : sb.sblockloc;
                    SuperblockSetup.write(disk, sb, found.primaryAt());
                }
                disk.flush();
            }
            if (st.fixed > 0) {
                st.say("***** FILE SYSTEM WAS MODIFIED *****");
            }
            return report(st, sb, p5.total, false);
        } catch (FsckState.PreenStop stop) {
            return new FsckReport(FsckReport.EXIT_UNCORRECTED, st.found, st.fixed, st.messages, -1, -1, -1, -1, -1,
                    null, false);
        } catch (RuntimeException e) {
            // A bug, not a verdict on the file system: report it as an operational error with
            // where it happened, rather than let it escape to the caller.
            List<String> msgs = st != null ? st.messages : early;
            StackTraceElement top = null;
            for (StackTraceElement f : e.getStackTrace()) {
                if (f.getClassName().startsWith("org.rumpmount.")) {
                    top = f;
                    break;
                }
            }
            msgs.add("INTERNAL ERROR: " + e + (top == null ? "" : " at " + top));
            progress.message(msgs.get(msgs.size() - 1));
            return new FsckReport(FsckReport.EXIT_OPERATIONAL, st == null ? 0 : st.found, st == null ? 0 : st.fixed,
                    msgs, -1, -1, -1, -1, -1, null, false);
        } catch (VfsException e) {
            List<String> msgs = st != null ? st.messages : early;
            msgs.add("CANNOT CHECK: " + e.getMessage() + " (" + e.errno() + ")");
            progress.message(msgs.get(msgs.size() - 1));
            return new FsckReport(FsckReport.EXIT_OPERATIONAL, st == null ? 0 : st.found, st == null ? 0 : st.fixed,
                    msgs, -1, -1, -1, -1, -1, null, false);
        }
    }

    private static void phase(FsckState st, int n, String title) {
        st.progress.phase(n, title);
        st.messages.add("** " + title);
    }

    private static FsckReport report(FsckState st, Superblock sb, long[] total, boolean skipped) {
        long[] t = total != null ? total : sb.summary();
        long nffree = t[3];
        long nbfree = t[1];
        long free = nffree + (long) sb.frag * nbfree;
        long dsize = Math.max(1, sb.dataFrags());
        String summary = st.files + " files, " + st.usedFrags + " used, " + free + " free (" + nffree + " frags, "
                + nbfree + " blocks, " + (nffree * 100 / dsize) + "." + ((nffree * 1000 + dsize / 2) / dsize) % 10
                + "% fragmentation)";
        if (!skipped) {
            st.say(summary);
        }
        int exit = st.uncorrected ? FsckReport.EXIT_UNCORRECTED
                : st.fixed > 0 ? FsckReport.EXIT_CORRECTED : FsckReport.EXIT_CLEAN;
        return new FsckReport(exit, st.found, st.fixed, st.messages, skipped ? -1 : st.files,
                skipped ? -1 : st.usedFrags, free, nffree, nbfree, skipped ? null : summary, skipped);
    }
}
