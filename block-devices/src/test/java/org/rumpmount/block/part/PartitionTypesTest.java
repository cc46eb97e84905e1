package org.rumpmount.block.part;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Type names as NetBSD's and FreeBSD's headers define the codes; unknown codes shown as stored. */
final class PartitionTypesTest {
    @Test
    void netbsdFstypesFollowSysDisklabelH() {
        PartitionScheme nb = PartitionScheme.NETBSD_DISKLABEL;
        assertEquals("unused", PartitionTypes.fstypeName(nb, 0));
        assertEquals("swap", PartitionTypes.fstypeName(nb, 1));
        assertEquals("4.2BSD", PartitionTypes.fstypeName(nb, 7));
        assertEquals("MSDOS", PartitionTypes.fstypeName(nb, 8));
        assertEquals("4.4LFS", PartitionTypes.fstypeName(nb, 9));
        assertEquals("Linux Ext2", PartitionTypes.fstypeName(nb, 17));
        assertEquals("RAID", PartitionTypes.fstypeName(nb, 19));
        assertEquals("ccd", PartitionTypes.fstypeName(nb, 20));
        assertEquals("jfs", PartitionTypes.fstypeName(nb, 21));
        assertEquals("cgd", PartitionTypes.fstypeName(nb, 28));
        assertEquals("ZFS", PartitionTypes.fstypeName(nb, 33));
        assertEquals("unknown fstype 34", PartitionTypes.fstypeName(nb, 34));
    }

    @Test
    void freebsdFstypesDivergeAfterBoot() {
        PartitionScheme fb = PartitionScheme.FREEBSD_DISKLABEL;
        assertEquals("4.2BSD", PartitionTypes.fstypeName(fb, 7));
        assertEquals("vinum", PartitionTypes.fstypeName(fb, 14));
        assertEquals("raid", PartitionTypes.fstypeName(fb, 15));
        assertEquals("ZFS", PartitionTypes.fstypeName(fb, 27));
        assertEquals("unknown fstype 19", PartitionTypes.fstypeName(fb, 19));
    }

    @Test
    void mbrTypesAndGptGuids() {
        assertEquals("NetBSD", PartitionTypes.mbrName(0xa9));
        assertEquals("FreeBSD", PartitionTypes.mbrName(0xa5));
        assertEquals("OpenBSD", PartitionTypes.mbrName(0xa6));
        assertEquals("GPT protective", PartitionTypes.mbrName(0xee));
        assertEquals("unknown type 0x42", PartitionTypes.mbrName(0x42));
        assertTrue(PartitionTypes.isMbrExtended(0x05) && PartitionTypes.isMbrExtended(0x0f)
                && PartitionTypes.isMbrExtended(0x85));
        assertEquals("NetBSD FFS", PartitionTypes.gptName(UUID.fromString("49f48d5a-b10e-11dc-b99b-0019d1879648")));
        assertEquals("NetBSD LFS", PartitionTypes.gptName(UUID.fromString("49f48d82-b10e-11dc-b99b-0019d1879648")));
        assertEquals("NetBSD RAIDframe", PartitionTypes.gptName(UUID.fromString("49f48daa-b10e-11dc-b99b-0019d1879648")));
        assertEquals("NetBSD cgd (encrypted)", PartitionTypes.gptName(UUID.fromString("2db519ec-b10f-11dc-b99b-0019d1879648")));
        assertEquals("freebsd-zfs", PartitionTypes.gptName(UUID.fromString("516e7cba-6ecf-11d6-8ff8-00022d09712b")));
        assertEquals("freebsd-boot", PartitionTypes.gptName(UUID.fromString("83bd6b9d-7f41-11dc-be0b-001560b84f0f")));
        assertEquals("unknown type 01234567-89ab-cdef-0123-456789abcdef",
                PartitionTypes.gptName(UUID.fromString("01234567-89ab-cdef-0123-456789abcdef")));
    }
}
