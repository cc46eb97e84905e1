#!/usr/bin/env bash
# The FFS crash test (fs-drivers FfsCrashTest) with thousands of power cuts instead of the
# build's 300: a seeded workload on images from our newfs, the power cut after a chosen write
# (a third of them torn), fsck -y, a clean recheck, and every fsynced file read back.
# Writes the figures to bench/results/ffs-crash-<date>.md (or CRASH_OUT).
set -euo pipefail

bench=ffs-crash
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
cuts="${CRASH_CUTS:-5000}"
workloads="${CRASH_WORKLOADS:-10}"
seed="${CRASH_SEED:-20261125}"
out="${CRASH_OUT:-$root/bench/results/ffs-crash-$(date -u +%Y-%m-%d).md}"
raw="$root/fs-drivers/target/ffs-crash-figures.txt"
log="$root/fs-drivers/target/ffs-crash.log"

mkdir -p "$(dirname "$out")"
crash_test FfsCrashTest "$raw" "$log"
{
    echo "# FFS crash test, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Machine: $(cpus),"
    echo "load average at end $(load_average); $crash_elapsed s in all (build included)."
    echo
    crash_command ffs-crash.sh FfsCrashTest
    echo
    echo "Each configuration gets half the cut points, shared over the workloads (seeds counting up"
    echo "from the one given). Per cut: replay to the cut, fsck -f -y (exit 0 or 1 required),"
    echo "fsck -f -n (exit 0 required), an independent checker, then every file whose fsync returned"
    echo "before the cut and which nothing changed since is read back at its path. The findings"
    echo "count the cut points at which fsck -y printed each kind of message (numbers as N)."
    echo
    crash_figures "$raw" "$log"
} >"$out"
crash_done "$log" "$out"
