package org.rumpmount.fs.ffs.fsck;

import java.util.List;

/**
 * What one fsck run found and did. {@link #exitCode} is fsck(8)'s: 0 clean, 1 errors corrected,
 * 4 errors left uncorrected, 8 operational error. The figures are those of the summary line,
 * taken after any repair; they are -1 when the run stopped before phase 5.
 */
public record FsckReport(int exitCode, int problemsFound, int problemsFixed, List<String> messages, long files,
        long usedFrags, long freeFrags, long freeFragments, long freeBlocks, String summary, boolean skippedClean) {
    public static final int EXIT_CLEAN = 0;
    public static final int EXIT_CORRECTED = 1;
    public static final int EXIT_UNCORRECTED = 4;
    public static final int EXIT_OPERATIONAL = 8;

    public FsckReport {
        messages = List.copyOf(messages);
    }

    /** Whether some line of output contains {@code text}. */
    public boolean said(String text) {
        return messages.stream().anyMatch(m -> m.contains(text));
    }

    @Override
    public String toString() {
        return String.join("\n", messages) + "\n(exit " + exitCode + ")";
    }
}
