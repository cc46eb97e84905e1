package org.rumpmount.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * A test class whose every test gets its own {@link DaemonFixture}, {@link #fx}, named after the
 * test method and cleaned up after it (no mount or daemon left behind). A subclass's own
 * {@code @BeforeEach} runs after the fixture is made, its {@code @AfterEach} before the clean-up.
 */
abstract class DaemonPerTest {
    DaemonFixture fx;

    @BeforeEach
    final void createDaemonFixture(TestInfo info) throws Exception {
        fx = new DaemonFixture(info.getTestMethod().orElseThrow().getName());
    }

    @AfterEach
    final void cleanUpDaemonFixture() throws Exception {
        if (fx != null) {
            fx.cleanUp();
        }
    }
}
