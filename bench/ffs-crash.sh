#!/usr/bin/env bash
# The FFS crash test (fs-drivers FfsCrashTest) with thousands of power cuts instead of the
# build's 300: a seeded workload on images from our newfs, the power cut after a chosen write
# (a third of them torn), fsck -y, a clean recheck, and every fsynced file read back.
# Writes the figures to bench/results/ffs-crash-<date>.md.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cuts="${CRASH_CUTS:-5000}"
workloads="${CRASH_WORKLOADS:-10}"
seed="${CRASH_SEED:-20261125}"
out="$root/bench/results/ffs-crash-$(date -u +%Y-%m-%d).md"
raw="$root/fs-drivers/target/ffs-crash-figures.txt"

mkdir -p "$root/bench/results"
rm -f "$raw"
cd "$root"
start=$(date +%s)
status=0
mvn -q -B -pl fs-drivers -am verify -Dtest=FfsCrashTest -Dsurefire.failIfNoSpecifiedTests=false \
    -DargLine="-Drumpmount.crash.cuts=$cuts -Drumpmount.crash.workloads=$workloads -Drumpmount.crash.seed=$seed -Drumpmount.crash.out=$raw" \
    >"$root/fs-drivers/target/ffs-crash.log" 2>&1 || status=$?
elapsed=$(($(date +%s) - start))
{
    echo "# FFS crash test, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
    echo "load average at end $(cut -d' ' -f1-3 /proc/loadavg); $elapsed s in all (build included)."
    echo
    echo "Command: \`bench/ffs-crash.sh\` with CRASH_CUTS=$cuts CRASH_WORKLOADS=$workloads CRASH_SEED=$seed"
    echo "(FfsCrashTest with -Drumpmount.crash.cuts=$cuts -Drumpmount.crash.workloads=$workloads"
    echo "-Drumpmount.crash.seed=$seed); maven exit status $status."
    echo
    echo "Each configuration gets half the cut points, shared over the workloads (seeds counting up"
    echo "from the one given). Per cut: replay to the cut, fsck -f -y (exit 0 or 1 required),"
    echo "fsck -f -n (exit 0 required), an independent checker, then every file whose fsync returned"
    echo "before the cut and which nothing changed since is read back at its path. The findings"
    echo "count the cut points at which fsck -y printed each kind of message (numbers as N)."
    echo
    echo '```'
    if [[ -f "$raw" ]]; then cat "$raw"; else echo "no figures: see fs-drivers/target/ffs-crash.log"; fi
    echo '```'
} >"$out"
if [[ $status -ne 0 ]]; then
    grep -v '^\s*at ' "$root/fs-drivers/target/ffs-crash.log" | tail -40 >&2
fi
echo "ffs-crash: wrote $out" >&2
exit $status
