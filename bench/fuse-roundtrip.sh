#!/usr/bin/env bash
# The cost of one FUSE round trip: a loop of stat(2) on one file (each call one GETATTR, no
# attribute caching) through rumpmount and through fuse2fs, the servers taking turns within each
# run, with perf stat on each server during its loop (CPU time, context switches and CPU
# migrations per call). Writes bench/results/fuse-roundtrip-<date>.md.
#
# BENCH_BEFORE=path/to/rumpmount.jar (its lib/ beside it) adds an earlier build, run with this
# checkout's launcher flags. BENCH_OURS="label=options;label=options" runs this build once per
# entry with those extra mount options (default: "ours=", no extra options), e.g.
# BENCH_OURS="ours=;ours-t1=-o threads=1".
# Needs root (perf on another user's process is refused otherwise), fuse2fs, fuse3, perf, python3.
set -euo pipefail

bench=fuse-roundtrip
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
work="${BENCH_WORK:-$root/bench/work}/roundtrip"
runs="${BENCH_RUNS:-5}"
calls="${BENCH_CALLS:-20000}"
out="${BENCH_OUT:-$root/bench/results/fuse-roundtrip-$(date -u +%Y-%m-%d).md}"
before="${BENCH_BEFORE:-}"
ours_spec="${BENCH_OURS:-ours=}"

for tool in fuse2fs mkfs.ext4 fusermount3 python3 perf mountpoint; do
    command -v "$tool" >/dev/null || {
        echo "fuse-roundtrip: $tool is missing (Debian: apt-get install -y fuse2fs fuse3 python3 linux-perf)" >&2
        exit 1
    }
done
[[ "$(id -u)" == 0 ]] || { echo "fuse-roundtrip: run as root (perf stat on the servers)" >&2; exit 1; }
if [[ -n "$before" && ! -f "$before" ]]; then
    echo "fuse-roundtrip: BENCH_BEFORE names $before, which is not a file" >&2
    exit 1
fi

rm_="$root/rumpmount"
"$rm_" --version >/dev/null # builds the jar when it is stale, outside the timings
mkdir -p "$work" "$(dirname "$out")"

# The earlier build runs under a copy of this launcher (same JVM flags) in a tree of its own.
if [[ -n "$before" ]]; then
    broot="$work/before-root"
    rm -rf "$broot"
    mkdir -p "$broot/mountd/target"
    cp "$rm_" "$broot/rumpmount"
    cp "$before" "$broot/mountd/target/rumpmount.jar"
    cp -r "$(dirname "$before")/lib" "$broot/mountd/target/lib"
fi

names=(fuse2fs)
declare -A cmd=() opts=() pid=()
[[ -z "$before" ]] || { names+=(before); opts[before]=""; }
IFS=';' read -r -a entries <<<"$ours_spec"
for e in "${entries[@]}"; do
    label="${e%%=*}"
    names+=("$label")
    opts[$label]="${e#*=}"
done

mnt() { echo "$work/mnt-$1"; }

unmount_all() {
    for n in "${names[@]}"; do
        if mountpoint -q "$(mnt "$n")" 2>/dev/null; then
            fusermount3 -u "$(mnt "$n")" 2>/dev/null || fusermount3 -u -z "$(mnt "$n")" 2>/dev/null || true
        fi
    done
    for k in "${!pid[@]}"; do
        wait "${pid[$k]}" 2>/dev/null || true
    done
}
trap unmount_all EXIT
unmount_all

echo "fuse-roundtrip: making images in $work" >&2
truncate -s 0 "$work/ext4.img"
truncate -s 256M "$work/ext4.img"
mkfs.ext4 -q -F -O ^has_journal "$work/ext4.img"
for n in "${names[@]}"; do
    mkdir -p "$(mnt "$n")"
    : >"$work/$n.log"
    [[ "$n" == fuse2fs ]] && continue
    rm -f "$work/$n.img"
    "$rm_" newfs -s 256m "$work/$n.img" >/dev/null
done

# Foreground servers, children of this script, so that the process perf watches is the server.
for n in "${names[@]}"; do
    m="$(mnt "$n")"
    case "$n" in
    fuse2fs) fuse2fs -f -o fakeroot "$work/ext4.img" "$m" 2>>"$work/$n.log" & ;;
    before) "$broot/rumpmount" mount -f "$work/$n.img" "$m" 2>>"$work/$n.log" & ;;
    *)
        # shellcheck disable=SC2086 # the options are words
        "$rm_" mount -f ${opts[$n]} "$work/$n.img" "$m" 2>>"$work/$n.log" &
        ;;
    esac
    pid[$n]=$!
    for _ in $(seq 600); do
        mountpoint -q "$m" && break
        kill -0 "${pid[$n]}" 2>/dev/null || { echo "fuse-roundtrip: $n did not mount; see $work/$n.log" >&2; exit 1; }
        sleep 0.1
    done
    mountpoint -q "$m" || { echo "fuse-roundtrip: $n did not mount in 60 s" >&2; exit 1; }
    : >"$m/f"
done

# The launcher runs java as a child when it builds a class-data archive: perf watches the JVM.
server_pid() {
    local p="${pid[$1]}" c
    c="$(pgrep -P "$p" java || true)"
    echo "${c:-$p}"
}

loop() {
    python3 - "$1" "$2" <<'PY'
import os, sys, time
p, n = sys.argv[1], int(sys.argv[2])
os.stat(p)
t0 = time.perf_counter()
for _ in range(n):
    os.stat(p)
print("%.1f" % (n / (time.perf_counter() - t0)))
PY
}

# A warm-up loop each, outside the figures: the JIT compiles the daemon's path first.
for n in "${names[@]}"; do
    loop "$(mnt "$n")/f" $((calls * 2)) >/dev/null
done

load_start="$(load_average)"
results="$work/results.txt"
: >"$results"
for run in $(seq "$runs"); do
    for n in "${names[@]}"; do
        echo "fuse-roundtrip: run $run, $n" >&2
        stat="$work/perf.txt"
        rate="$(perf stat -x, -o "$stat" -e task-clock,context-switches,cpu-migrations,syscalls:sys_enter_writev -p "$(server_pid "$n")" \
            -- bash -c "$(declare -f loop); loop '$(mnt "$n")/f' $calls")"
        ms="$(awk -F, '$3=="task-clock" {print $1}' "$stat")"
        cs="$(awk -F, '$3=="context-switches" {print $1}' "$stat")"
        mig="$(awk -F, '$3=="cpu-migrations" {print $1}' "$stat")"
        # libfuse 2 writes every reply with one writev(2): the server's round trips.
        rt="$(awk -F, '$3=="syscalls:sys_enter_writev" {print $1}' "$stat")"
        echo "$run $n $rate $ms $cs $mig $rt" >>"$results"
    done
done
load_end="$(load_average)"
unmount_all
trap - EXIT
for n in "${names[@]}"; do
    [[ "$n" == fuse2fs ]] && continue
    if grep -qiE 'severe|exception|error' "$work/$n.log"; then
        echo "fuse-roundtrip: $n logged errors, see $work/$n.log" >&2
        exit 1
    fi
done

{
    echo "# FUSE round trip, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Machine: $(cpus),"
    echo "load average at start $load_start, at the end $load_end."
    echo "$(uname -sr); $(fuse2fs -V 2>&1 | head -1); $(fuse2fs -V 2>&1 | sed -n 2p); $(java -version 2>&1 | head -1)"
    echo
    python3 - "$results" "$calls" "$runs" "$before" "$ours_spec" <<'PY'
import statistics, sys
path, calls, runs, before, spec = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
rows, order = {}, []
for line in open(path):
    run, n, rate, ms, cs, mig, rt = line.split()
    if n not in rows:
        order.append(n)
    rows.setdefault(n, []).append((float(rate), float(ms), float(cs), float(mig), float(rt)))
print("Each server serves a loop of %d stat(2) calls on one file per run, %d runs, the servers" % (calls, runs))
print("taking turns within each run; perf stat watches the server during its loop. fuse2fs:")
print("`fuse2fs -f -o fakeroot` on an ext4 image; the others: `rumpmount mount -f [options]` on an")
print("FFS image from `rumpmount newfs`, options as labelled (%s)." % spec.replace(";", "; "))
if before:
    print("before: the same mount run by an earlier build (%s)." % before)
print()
print("Round trips per call: the server's replies (libfuse 2 writes each with one writev(2)) per")
print("stat(2). The per-round-trip columns divide by the round trips, not the calls.")
print()
print("| server | calls/s, median (all runs) | round trips per call | round trips/s | server CPU per call (µs) | per round trip (µs) | context switches per call | per round trip | CPU migrations per call |")
print("|:---|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in order:
    r = rows[n]
    rates = [x[0] for x in r]
    cpu = statistics.median(x[1] * 1000 / calls for x in r)
    cs = statistics.median(x[2] / calls for x in r)
    mig = statistics.median(x[3] / calls for x in r)
    trips = statistics.median(x[4] / calls for x in r)
    print("| %s | %.0f (%s) | %.2f | %.0f | %.1f | %.1f | %.2f | %.2f | %.3f |" % (n, statistics.median(rates),
          ", ".join("%.0f" % v for v in rates), trips, statistics.median(rates) * trips, cpu, cpu / trips,
          cs, cs / trips, mig))
PY
} >"$out"
echo "fuse-roundtrip: wrote $out" >&2
