package org.rumpmount.block.part;

import java.util.Map;
import java.util.UUID;

/**
 * Names for partition type codes: MBR system IDs, GPT type GUIDs, and disklabel fstypes (whose
 * numbers NetBSD, FreeBSD and OpenBSD assign differently above 13). A code without a name is
 * shown as it is stored.
 */
final class PartitionTypes {
    private PartitionTypes() {
    }

    static final int MBR_EMPTY = 0x00;
    static final int MBR_EXTENDED = 0x05;
    static final int MBR_EXTENDED_LBA = 0x0f;
    static final int MBR_LINUX_EXTENDED = 0x85;
    static final int MBR_FREEBSD = 0xa5;
    static final int MBR_OPENBSD = 0xa6;
    static final int MBR_NETBSD = 0xa9;
    static final int MBR_GPT_PROTECTIVE = 0xee;

    private static final Map<Integer, String> MBR = Map.ofEntries(
            Map.entry(0x01, "FAT12"),
            Map.entry(0x04, "FAT16 <32M"),
            Map.entry(MBR_EXTENDED, "Extended"),
            Map.entry(0x06, "FAT16"),
            Map.entry(0x07, "NTFS/exFAT/HPFS"),
            Map.entry(0x0b, "FAT32"),
            Map.entry(0x0c, "FAT32 (LBA)"),
            Map.entry(0x0e, "FAT16 (LBA)"),
            Map.entry(MBR_EXTENDED_LBA, "Extended (LBA)"),
            Map.entry(0x11, "Hidden FAT12"),
            Map.entry(0x27, "Windows recovery"),
            Map.entry(0x39, "Plan 9"),
            Map.entry(0x63, "GNU HURD / System V"),
            Map.entry(0x82, "Linux swap"),
            Map.entry(0x83, "Linux"),
            Map.entry(MBR_LINUX_EXTENDED, "Linux extended"),
            Map.entry(0x8e, "Linux LVM"),
            Map.entry(MBR_FREEBSD, "FreeBSD"),
            Map.entry(MBR_OPENBSD, "OpenBSD"),
            Map.entry(0xa8, "Darwin UFS"),
            Map.entry(MBR_NETBSD, "NetBSD"),
            Map.entry(0xab, "Darwin boot"),
            Map.entry(0xaf, "Apple HFS/HFS+"),
            Map.entry(0xbf, "Solaris"),
            Map.entry(0xda, "Non-FS data"),
            Map.entry(MBR_GPT_PROTECTIVE, "GPT protective"),
            Map.entry(0xef, "EFI system"),
            Map.entry(0xfd, "Linux RAID autodetect"));

    /** GPT type GUIDs, from NetBSD's sys/sys/disklabel_gpt.h and FreeBSD's sys/sys/disk/gpt.h. */
    private static final Map<UUID, String> GPT = Map.ofEntries(
            gpt("c12a7328-f81f-11d2-ba4b-00a0c93ec93b", "EFI system"),
            gpt("024dee41-33e7-11d3-9d69-0008c781f39f", "MBR partition scheme"),
            gpt("21686148-6449-6e6f-744e-656564454649", "BIOS boot"),
            gpt("49f48d32-b10e-11dc-b99b-0019d1879648", "NetBSD swap"),
            gpt("49f48d5a-b10e-11dc-b99b-0019d1879648", "NetBSD FFS"),
            gpt("49f48d82-b10e-11dc-b99b-0019d1879648", "NetBSD LFS"),
            gpt("49f48daa-b10e-11dc-b99b-0019d1879648", "NetBSD RAIDframe"),
            gpt("2db519c4-b10f-11dc-b99b-0019d1879648", "NetBSD ccd (concatenated)"),
            gpt("2db519ec-b10f-11dc-b99b-0019d1879648", "NetBSD cgd (encrypted)"),
            gpt("516e7cb4-6ecf-11d6-8ff8-00022d09712b", "FreeBSD disklabel"),
            gpt("83bd6b9d-7f41-11dc-be0b-001560b84f0f", "freebsd-boot"),
            gpt("516e7cb5-6ecf-11d6-8ff8-00022d09712b", "freebsd-swap"),
            gpt("516e7cb6-6ecf-11d6-8ff8-00022d09712b", "freebsd-ufs"),
            gpt("516e7cb8-6ecf-11d6-8ff8-00022d09712b", "freebsd-vinum"),
            gpt("516e7cba-6ecf-11d6-8ff8-00022d09712b", "freebsd-zfs"),
            gpt("74ba7dd9-a689-11e1-bd04-00e081286acf", "freebsd-nandfs"),
            gpt("824cc7a0-36a8-11e3-890a-952519ad3f61", "OpenBSD data"),
            gpt("ebd0a0a2-b9e5-4433-87c0-68b6b72699c7", "Microsoft basic data"),
            gpt("e3c9e316-0b5c-4db8-817d-f92df00215ae", "Microsoft reserved"),
            gpt("de94bba4-06d1-4d40-a16a-bfd50179d6ac", "Windows recovery"),
            gpt("0fc63daf-8483-4772-8e79-3d69d8477de4", "Linux data"),
            gpt("0657fd6d-a4ab-43c4-84e5-0933c84b4f4f", "Linux swap"),
            gpt("a19d880f-05fc-4d3b-a006-743f0f84911e", "Linux RAID"),
            gpt("e6d6d379-f507-44c2-a23c-238f2a3df928", "Linux LVM"),
            gpt("4f68bce3-e8cd-4db1-96e7-fbcaf984b709", "Linux root (x86-64)"),
            gpt("48465300-0000-11aa-aa11-00306543ecac", "Apple HFS+"),
            gpt("55465300-0000-11aa-aa11-00306543ecac", "Apple UFS"),
            gpt("7c3457ef-0000-11aa-aa11-00306543ecac", "Apple APFS"),
            gpt("6a85cf4d-1dd2-11b2-99a6-080020736631", "Solaris root"),
            gpt("6a898cc3-1dd2-11b2-99a6-080020736631", "Solaris /usr / Apple ZFS"));

    /** NetBSD's FSTYPE_DEFN in sys/sys/disklabel.h, indexed by fstype. */
    private static final String[] NETBSD_FSTYPES = {
        "unused", "swap", "Version 6", "Version 7", "System V", "4.1BSD", "Eighth Edition", "4.2BSD",
        "MSDOS", "4.4LFS", "unknown", "HPFS", "ISO9660", "boot", "ADOS", "HFS", "FILECORE", "Linux Ext2",
        "NTFS", "RAID", "ccd", "jfs", "Apple UFS", "vinum", "UDF", "SysVBFS", "EFS", "NiLFS", "cgd",
        "MINIX FSv3", "VMware vmkcore", "VMware VMFS", "VMware Reserved", "ZFS"};

    /** FreeBSD's FS_* values in sys/sys/disk/bsd.h; it diverged from NetBSD's list after FS_BOOT (13). */
    private static final Map<Integer, String> FREEBSD_FSTYPES = Map.ofEntries(
            Map.entry(0, "unused"), Map.entry(1, "swap"), Map.entry(2, "Version 6"), Map.entry(3, "Version 7"),
            Map.entry(4, "System V"), Map.entry(5, "4.1BSD"), Map.entry(6, "Eighth Edition"), Map.entry(7, "4.2BSD"),
            Map.entry(8, "MSDOS"), Map.entry(9, "4.4LFS"), Map.entry(10, "unknown"), Map.entry(11, "HPFS"),
            Map.entry(12, "ISO9660"), Map.entry(13, "boot"), Map.entry(14, "vinum"), Map.entry(15, "raid"),
            Map.entry(16, "Filecore"), Map.entry(17, "EXT2FS"), Map.entry(18, "NTFS"), Map.entry(20, "ccd"),
            Map.entry(21, "jfs"), Map.entry(22, "HAMMER"), Map.entry(23, "HAMMER2"), Map.entry(24, "UDF"),
            Map.entry(26, "EFS"), Map.entry(27, "ZFS"), Map.entry(30, "nandfs"));

    /** OpenBSD's FS_* values in sys/sys/disklabel.h: NetBSD's up to FS_BOOT (13), then its own. */
    private static final String[] OPENBSD_FSTYPES = {
        "unused", "swap", "Version 6", "Version 7", "System V", "4.1BSD", "Eighth Edition", "4.2BSD",
        "MSDOS", "4.4LFS", "unknown", "HPFS", "ISO9660", "boot", "ADOS", "HFS", "ADFS", "ext2fs", "ccd",
        "RAID", "NTFS", "UDF"};

    private static Map.Entry<UUID, String> gpt(String guid, String name) {
        return Map.entry(UUID.fromString(guid), name);
    }

    static boolean isMbrExtended(int type) {
        return type == MBR_EXTENDED || type == MBR_EXTENDED_LBA || type == MBR_LINUX_EXTENDED;
    }

    static String mbrCode(int type) {
        return String.format("0x%02x", type);
    }

    static String mbrName(int type) {
        String name = MBR.get(type);
        return name != null ? name : "unknown type " + mbrCode(type);
    }

    static String gptName(UUID type) {
        String name = GPT.get(type);
        return name != null ? name : "unknown type " + type;
    }

    static String fstypeName(PartitionScheme scheme, int fstype) {
        String[] list = scheme == PartitionScheme.OPENBSD_DISKLABEL ? OPENBSD_FSTYPES : NETBSD_FSTYPES;
        String name = scheme == PartitionScheme.FREEBSD_DISKLABEL ? FREEBSD_FSTYPES.get(fstype)
                : fstype < list.length ? list[fstype] : null;
        return name != null ? name : "unknown fstype " + fstype;
    }
}
