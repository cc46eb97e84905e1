#!/usr/bin/env bash
# memory.sh: the mount daemon's memory against the image size. For sparse images of each size
# in BENCH_SIZES (FFS from `rumpmount newfs`, and LFS from `rumpmount newfs -t lfs`), mounts with
# cache_size=BENCH_CACHE in the background and in the foreground (mount -f, as the systemd units
# run it), runs one workload that allocates in many cylinder groups, and records the daemon's
# peak resident size (VmHWM), its heap maximum, and its heap in use before and after a full
# collection. With BENCH_BASELINE=REF (default main) the same FFS rows run with the command built
# from that git revision too, interleaved, for a before-and-after in one run.
#
# The workload: BENCH_DIRS directories at the top (FFS puts each new top-level directory in the
# group with the fewest, so they spread over the groups), each with two files of 6,000 bytes;
# one file of BENCH_BIG_MIB MiB written sequentially (dd bs=1M); one directory of BENCH_FILES
# empty files, all stat'ed. Then the heap is read, the file system unmounted, and the image
# checked with `rumpmount fsck` (its exit status is in the table).
set -euo pipefail

bench=memory
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
sizes="${BENCH_SIZES:-4g 256g 1t}"
types="${BENCH_TYPES:-ffs lfs}"
cache="${BENCH_CACHE:-32m}"
dirs="${BENCH_DIRS:-1000}"
files="${BENCH_FILES:-10000}"
big="${BENCH_BIG_MIB:-128}"
baseline="${BENCH_BASELINE-main}"
work="$(readlink -f "${BENCH_WORK:-$root/bench/work}")/memory"
out="${BENCH_OUT:-$root/bench/results/memory-$(date -u +%F).md}"

need python3
need jcmd
need fusermount3
mkdir -p "$work"
rm_="$root/rumpmount"
"$rm_" --version >/dev/null

# The baseline: the same checkout at $baseline, built in its own folder (package only, nothing
# installed), so that its launcher and jar are what a user of that revision runs.
base_rm=
if [[ -n "$baseline" ]]; then
    rev="$(git -C "$root" rev-parse --verify -q "$baseline^{commit}")" || { echo "memory: no revision $baseline" >&2; exit 1; }
    src="$work/base-$rev"
    if [[ ! -f "$src/mountd/target/rumpmount.jar" ]]; then
        echo "memory: building $baseline ($rev) in $src" >&2
        rm -rf "$src"
        mkdir -p "$src"
        git -C "$root" archive "$rev" | tar -x -C "$src"
        (cd "$src" && mvn -q -o -B -DskipTests -pl mountd -am package) >"$work/base-build.log" 2>&1 \
            || { cat "$work/base-build.log" >&2; exit 1; }
    fi
    base_rm="$src/rumpmount"
fi

workload="$work/workload.py"
cat >"$workload" <<'PY'
import os, sys
mp, ndirs, nfiles = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
blob = bytes(range(256)) * 23 + bytes(112)  # 6,000 bytes
for i in range(ndirs):
    d = os.path.join(mp, "d%05d" % i)
    os.mkdir(d)
    for j in range(2):
        with open(os.path.join(d, "f%d" % j), "wb") as f:
            f.write(blob)
many = os.path.join(mp, "many")
os.mkdir(many)
for i in range(nfiles):
    os.close(os.open(os.path.join(many, "file-%06d" % i), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
for name in os.listdir(many):
    os.stat(os.path.join(many, name))
PY

# The heap's "used" figure in KiB from jcmd GC.heap_info (G1: "garbage-first heap total NK, used MK").
heap_used() {
    jcmd "$1" GC.heap_info 2>/dev/null | awk '/heap/ && /used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); print int(v / 1024); exit } }'
}

max_heap() {
    jcmd "$1" VM.flags 2>/dev/null | tr ' ' '\n' | awk -F= '/^-XX:MaxHeapSize=/ { print int($2 / 1048576) }'
}

status_mib() {
    awk -v k="$2:" '$1 == k { print int($2 / 1024) }' "/proc/$1/status"
}

# The daemon process serving mount point $1: the JVM whose command line names it.
daemon_pid() {
    local mp="$1" pid
    for pid in $(pgrep -x java); do
        if tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "$mp"; then
            echo "$pid"
            return 0
        fi
    done
    return 1
}

rows="$work/rows.txt"
: >"$rows"
run() {
    local cmd="$1" who="$2" type="$3" size="$4" mode="$5"
    local img="$work/$type-$size.img" mp="$work/mnt" log="$work/daemon-$who-$type-$size-$mode.log" pid fg=
    rm -f "$img"
    mkdir -p "$mp"
    if [[ "$type" == lfs ]]; then
        # newfs_lfs's default 1 MiB segments give an IFILE too large for segment 0 from about
        # 64 GiB up: larger segments for the larger images.
        local seg=()
        case "$size" in
            *t | *T) seg=(-B 16m) ;;
            *g | *G) [[ "${size%[gG]}" -lt 64 ]] || seg=(-B 4m) ;;
        esac
        "$cmd" newfs -t lfs "${seg[@]}" -s "$size" "$img" >/dev/null 2>"$log" || { echo "| $type | $size | $who | $mode | newfs ${seg[*]} failed: $(head -1 "$log") |||||||" >>"$rows"; rm -f "$img"; return; }
    else
        "$cmd" newfs -s "$size" "$img" >/dev/null
    fi
    local load0
    load0="$(cut -d' ' -f1 /proc/loadavg)"
    if [[ "$mode" == foreground ]]; then
        "$cmd" mount -f -o "rw,cache_size=$cache" "$img" "$mp" >"$log" 2>&1 &
        fg=$!
        for _ in $(seq 600); do mountpoint -q "$mp" && break; kill -0 "$fg" 2>/dev/null || break; sleep 0.1; done
        pid=$fg
    else
        RUMPMOUNT_LOG="$log" "$cmd" mount -o "rw,cache_size=$cache" "$img" "$mp"
        pid="$(daemon_pid "$mp")"
    fi
    if ! mountpoint -q "$mp"; then
        echo "| $type | $size | $who | $mode | mount failed: $(head -1 "$log") |||||||" >>"$rows"
        rm -f "$img"
        return
    fi
    local t0 t1 status=ok
    t0=$(date +%s.%N)
    python3 "$workload" "$mp" "$dirs" "$files" || status="workload failed"
    dd if=/dev/zero of="$mp/big" bs=1M count="$big" conv=fsync status=none || status="dd failed"
    t1=$(date +%s.%N)
    local hwm rss used live xmx
    used="$(heap_used "$pid")"
    jcmd "$pid" GC.run >/dev/null 2>&1 || true
    live="$(heap_used "$pid")"
    xmx="$(max_heap "$pid")"
    hwm="$(status_mib "$pid" VmHWM)"
    rss="$(status_mib "$pid" VmRSS)"
    local load1
    load1="$(cut -d' ' -f1 /proc/loadavg)"
    fusermount3 -u "$mp"
    for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    [[ -z "$fg" ]] || wait "$fg" || status="daemon exited $?"
    local fsck=0
    "$cmd" fsck -n "$img" >"$work/fsck.txt" 2>&1 || fsck=$?
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f | %s | %s |\n' "$type" "$size" "$who" "$mode" \
        "$xmx" "$hwm" "$rss" "$used" "$live" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$load0 / $load1" "$status, fsck $fsck" >>"$rows"
    echo "memory: $(tail -1 "$rows")" >&2
    rm -f "$img"
}

for size in $sizes; do
    for type in $types; do
        for mode in background foreground; do
            if [[ -n "$base_rm" && "$type" == ffs ]]; then
                run "$base_rm" "$baseline" "$type" "$size" "$mode"
            fi
            run "$rm_" "this" "$type" "$size" "$mode"
        done
    done
done

{
    echo "# Daemon memory against image size ($(date -u +%F))"
    echo
    echo "bench/memory.sh: sparse images of $sizes, cache_size=$cache, FUSE mount in the background and"
    echo "in the foreground (mount -f). Workload: $dirs top-level directories of two 6,000-byte files"
    echo "each, one directory of $files empty files (all stat'ed), one $big MiB file written with dd bs=1M."
    echo "Rows \"this\" run this checkout; rows \"$baseline\" the command built from $baseline${rev:+ ($rev)}."
    echo
    echo "Machine: $(nproc) CPUs, $(awk '/MemTotal/ { print int($2 / 1048576) " GiB" }' /proc/meminfo),"
    echo "$(java -version 2>&1 | head -1); shared with other work (load average below, 1 min, at the start and end of each row)."
    echo
    echo "-Xmx: the JVM's heap maximum (MiB). VmHWM: peak resident size. heap used: in use at the end of the"
    echo "workload, garbage included; live: after a full collection (what is kept). fsck: \`rumpmount fsck -n\` exit status (0: clean)."
    echo
    echo "| type | image | build | mode | -Xmx | VmHWM | VmRSS | heap used | live | s | load | result |"
    echo "|:--|--:|:--|:--|--:|--:|--:|--:|--:|--:|:--|:--|"
    cat "$rows"
} >"$out"
echo "memory: results in $out" >&2
