package org.rumpmount.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FuseOptionsTest {
    @Test
    void defaultsAreReadWriteCheckedMultiThreadedWithLargeRequests() {
        FuseOptions o = FuseOptions.defaults();
        assertEquals("rw,default_permissions,use_ino,fsname=rumpmount,subtype=rumpmount,big_writes,max_read=131072,"
                + "attr_timeout=0,entry_timeout=3600,negative_timeout=0",
                o.optionList());
        assertArrayEquals(new String[] {"-o", o.optionList()}, o.fuseArgs());
    }

    @Test
    void everyOptionShows() {
        FuseOptions o = FuseOptions.builder().readOnly(true).allowOther(true).defaultPermissions(false)
                .fsName("/dev/sd0a").subtype("ffs").bigWrites(false).maxRead(65536).singleThreaded(true).attrTimeout(Duration.ofMillis(1500))
                .entryTimeout(Duration.ofMillis(250)).negativeTimeout(Duration.ofSeconds(2)).build();
        assertEquals("ro,allow_other,use_ino,fsname=/dev/sd0a,subtype=ffs,max_read=65536,attr_timeout=1.5,"
                + "entry_timeout=0.25,negative_timeout=2", o.optionList());
        assertArrayEquals(new String[] {"-s", "-o", o.optionList()}, o.fuseArgs());
    }

    @Test
    void toBuilderKeepsEveryOption() {
        FuseOptions o = FuseOptions.builder().readOnly(true).allowOther(true).defaultPermissions(false)
                .fsName("x").subtype("y").bigWrites(false).maxRead(8192).singleThreaded(true).debug(true)
                .timeout(Duration.ofSeconds(3)).attrTimeout(Duration.ofSeconds(2)).entryTimeout(Duration.ofSeconds(7))
                .negativeTimeout(Duration.ofSeconds(5)).build();
        FuseOptions c = o.toBuilder().build();
        assertEquals(o.toString(), c.toString());
        assertEquals(Duration.ofSeconds(7), c.entryTimeout());
        assertEquals(Duration.ofSeconds(5), c.negativeTimeout());
        assertEquals(o.debug(), c.debug());
        assertEquals(o.timeout(), c.timeout());
    }

    @Test
    void workerThreadsAreTwoGrowingToSixteenOrOneWhenSingleThreaded() {
        FuseOptions d = FuseOptions.defaults();
        assertEquals(2, d.minWorkers());
        assertEquals(16, d.maxWorkers());
        FuseOptions w = FuseOptions.builder().workers(4, 8).build();
        assertEquals(4, w.toBuilder().build().minWorkers());
        assertEquals(8, w.toBuilder().build().maxWorkers());
        FuseOptions s = FuseOptions.builder().workers(4, 8).singleThreaded(true).build();
        assertEquals(1, s.minWorkers());
        assertEquals(1, s.maxWorkers());
        assertThrows(IllegalArgumentException.class, () -> FuseOptions.builder().workers(0, 4).build());
        assertThrows(IllegalArgumentException.class, () -> FuseOptions.builder().workers(4, 3).build());
    }

    @Test
    void valuesThatWouldBreakTheOptionListAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FuseOptions.builder().fsName("a,allow_other").build());
        assertTrue(e.getMessage().contains("fsname"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FuseOptions.builder().subtype("a b").build());
        assertThrows(IllegalArgumentException.class, () -> FuseOptions.builder().fsName("").build());
        assertThrows(IllegalArgumentException.class, () -> FuseOptions.builder().maxRead(1 << 20).build());
        assertThrows(IllegalArgumentException.class, () -> FuseOptions.builder().timeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> FuseOptions.builder().attrTimeout(Duration.ofSeconds(-1)).build());
        assertThrows(IllegalArgumentException.class, () -> FuseOptions.builder().entryTimeout(Duration.ofSeconds(-1)).build());
        assertThrows(IllegalArgumentException.class, () -> FuseOptions.builder().negativeTimeout(Duration.ofMillis(-1)).build());
    }
}
