package org.rumpmount.fuse;

import java.io.IOException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test class whose every test gets {@link #f}, a fresh tmpfs mounted through FUSE, unmounted
 * after it whatever the test left; the class is skipped, saying why, where there is no FUSE.
 * A subclass's own {@code @BeforeEach} runs after the mount, its {@code @AfterEach} before the
 * unmount.
 */
abstract class OnFreshTmpfs {
    FuseFixture f;

    @BeforeAll
    static void requireFuse() throws IOException {
        FuseFixture.requireFuse();
    }

    /** The mount's options beyond the fixture's; none unless a test class needs some. */
    UnaryOperator<FuseOptions.Builder> options() {
        return b -> b;
    }

    @BeforeEach
    final void mountTmpfs() throws IOException {
        f = FuseFixture.mount(options());
    }

    @AfterEach
    final void unmountTmpfs() throws IOException {
        if (f != null) {
            f.close();
        }
    }
}
