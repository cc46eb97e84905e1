#!/usr/bin/env bash
# The LFS crash test (fs-drivers LfsCrashTest) with thousands of power cuts instead of the
# build's 300: seeded workloads on small images from our newfs_lfs (32-bit little-endian, lfs64
# big-endian, 32-bit big-endian with 512-byte fragments), the power cut after a chosen write (a
# third of them torn), then fsck of the checkpoint left, a roll-forward mount, fsck again, every
# fsynced file read back, and fsck after unmounting.
# Writes the figures to bench/results/lfs-crash-<date>.md (or CRASH_OUT).
set -euo pipefail

bench=lfs-crash
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
cuts="${CRASH_CUTS:-3300}"
workloads="${CRASH_WORKLOADS:-10}"
seed="${CRASH_SEED:-20261125}"
out="${CRASH_OUT:-$root/bench/results/lfs-crash-$(date -u +%Y-%m-%d).md}"
raw="$root/fs-drivers/target/lfs-crash-figures.txt"
log="$root/fs-drivers/target/lfs-crash.log"

mkdir -p "$(dirname "$out")"
load_start="$(load_average)"
crash_test LfsCrashTest "$raw" "$log" -o
{
    echo "# LFS crash test, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Machine: $(cpus),"
    echo "load average at start $load_start, at end $(load_average) (the machine is shared);"
    echo "$crash_elapsed s in all (build included). Commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)."
    echo
    crash_command lfs-crash.sh LfsCrashTest
    echo
    echo "Each configuration gets a third of the cut points, shared over the workloads (seeds counting"
    echo "up from the one given, each mixed with the configuration's name). A workload is a seeded run of"
    echo "creates, writes, truncates, renames, links, symlinks, unlinks, mkdir/rmdir and fsyncs, with a"
    echo "sync (a checkpoint) every 100 operations, on a 6 MiB file system, enough to make the cleaner"
    echo "copy live blocks. Per cut: the power fails after the chosen write (a third of the cuts tear"
    echo "that write at a sector boundary); LfsFsck without repairs on the image as left (the older"
    echo "checkpoint, as a mount picks it) must find nothing; a forced writable mount rolls the log"
    echo "forward and checkpoints; LfsFsck on that image must find nothing; every file whose fsync"
    echo "returned before the cut and which nothing changed since must read back exactly at its path;"
    echo "every file and link must be readable; after unmounting LfsFsck must find nothing again."
    echo
    crash_figures "$raw" "$log"
} >"$out"
crash_done "$log" "$out"
