package org.rumpmount.vfs;

/**
 * File system statistics, as statvfs(2). Block counts are in units of {@code fragmentSize}.
 * {@code blocksAvailable} is what an unprivileged user may use (free minus the reserve).
 */
public record StatVfs(
        long blockSize,
        long fragmentSize,
        long blocks,
        long blocksFree,
        long blocksAvailable,
        long files,
        long filesFree,
        long filesAvailable,
        long fsid,
        int nameMax,
        boolean readOnly) {
}
