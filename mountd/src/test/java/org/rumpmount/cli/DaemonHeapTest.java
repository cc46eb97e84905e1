package org.rumpmount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The background daemon's heap is bounded by its cache size unless the user bounds it. */
final class DaemonHeapTest {
    @Test
    void theDefaultCacheGivesAHeapOfTheCachePlusRoomBesideIt() {
        assertEquals(Optional.of("-Xmx320m"), Daemonizer.heapLimit(DaemonOptions.DEFAULT_CACHE_BYTES, Map.of()));
    }

    @Test
    void aLargerCacheRaisesTheLimitByAsMuch() {
        assertEquals(Optional.of("-Xmx2304m"), Daemonizer.heapLimit(2L << 30, Map.of()));
    }

    @Test
    void aCacheSizeThatIsNotWholeMebibytesRoundsUp() {
        assertEquals(Optional.of("-Xmx257m"), Daemonizer.heapLimit(1000, Map.of()));
    }

    @Test
    void aLimitInTheEnvironmentIsLeftToTheJvm() {
        assertEquals(Optional.empty(), Daemonizer.heapLimit(64L << 20, Map.of("JAVA_TOOL_OPTIONS", "-Xmx1g")));
        assertEquals(Optional.empty(), Daemonizer.heapLimit(64L << 20, Map.of("JDK_JAVA_OPTIONS", "-XX:MaxHeapSize=512m")));
        assertEquals(Optional.of("-Xmx320m"), Daemonizer.heapLimit(64L << 20, Map.of("JAVA_TOOL_OPTIONS", "-Xss1m")));
    }
}
