#!/usr/bin/env bash
# The LFS crash test (fs-drivers LfsCrashTest) with thousands of power cuts instead of the
# build's 300: seeded workloads on small images from our newfs_lfs (32-bit little-endian, lfs64
# big-endian, 32-bit big-endian with 512-byte fragments), the power cut after a chosen write (a
# third of them torn), then fsck of the checkpoint left, a roll-forward mount, fsck again, every
# fsynced file read back, and fsck after unmounting.
# Writes the figures to bench/results/lfs-crash-<date>.md (or CRASH_OUT).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cuts="${CRASH_CUTS:-3300}"
workloads="${CRASH_WORKLOADS:-10}"
seed="${CRASH_SEED:-20261125}"
out="${CRASH_OUT:-$root/bench/results/lfs-crash-$(date -u +%Y-%m-%d).md}"
raw="$root/fs-drivers/target/lfs-crash-figures.txt"
log="$root/fs-drivers/target/lfs-crash.log"

mkdir -p "$(dirname "$out")" "$root/fs-drivers/target"
rm -f "$raw"
cd "$root"
start=$(date +%s)
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
status=0
mvn -q -B -o -pl fs-drivers -am verify -Dtest=LfsCrashTest -Dsurefire.failIfNoSpecifiedTests=false \
    -DargLine="-Drumpmount.crash.cuts=$cuts -Drumpmount.crash.workloads=$workloads -Drumpmount.crash.seed=$seed -Drumpmount.crash.out=$raw" \
    >"$log" 2>&1 || status=$?
elapsed=$(($(date +%s) - start))
{
    echo "# LFS crash test, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
    echo "load average at start $load_start, at end $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared);"
    echo "$elapsed s in all (build included). Commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)."
    echo
    echo "Command: \`bench/lfs-crash.sh\` with CRASH_CUTS=$cuts CRASH_WORKLOADS=$workloads CRASH_SEED=$seed"
    echo "(LfsCrashTest with -Drumpmount.crash.cuts=$cuts -Drumpmount.crash.workloads=$workloads"
    echo "-Drumpmount.crash.seed=$seed); maven exit status $status."
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
    echo '```'
    if [[ -f "$raw" ]]; then cat "$raw"; else echo "no figures: see fs-drivers/target/lfs-crash.log"; fi
    echo '```'
} >"$out"
if [[ $status -ne 0 ]]; then
    grep -v '^\s*at ' "$log" | tail -40 >&2
fi
echo "lfs-crash: wrote $out" >&2
exit $status
