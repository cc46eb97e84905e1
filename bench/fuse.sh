#!/usr/bin/env bash
# Throughput and metadata rates through a FUSE mount of an FFS image (rumpmount), beside
# fuse2fs on an ext4 image and the kernel's tmpfs, in one run; writes bench/results/fuse-<date>.md.
# BENCH_BEFORE=path/to/rumpmount.jar (with its lib/ beside it) adds an earlier build as a fourth
# file system on an image of its own, taking its turn in every run, for before/after figures.
# BENCH_META=0 leaves out the metadata rates: only the sequential write and reads are timed.
# BENCH_OURS_OPTS=a,b adds mount options to ours (not to before), e.g. attr_timeout=1 to measure
# what attribute caching would give.
# BENCH_META_ONLY=1 runs the metadata loops alone (no 1 GiB write and reads), to iterate faster.
# Needs root (tmpfs mount, drop_caches) and, on Debian: apt-get install -y fuse2fs fuse3 python3.
set -euo pipefail

bench=fuse
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
work="${BENCH_WORK:-$root/bench/work}/fuse"
runs="${BENCH_RUNS:-3}"
files="${BENCH_FILES:-10000}"
mib="${BENCH_MIB:-1024}"
cache="${BENCH_CACHE:-64m}"
out="${BENCH_OUT:-$root/bench/results/fuse-$(date -u +%Y-%m-%d).md}"
before="${BENCH_BEFORE:-}"
meta_rows="${BENCH_META:-1}"
meta_only="${BENCH_META_ONLY:-0}"
ours_opts="cache_size=$cache${BENCH_OURS_OPTS:+,$BENCH_OURS_OPTS}"
if [[ -n "$before" && ! -f "$before" ]]; then
    echo "fuse: BENCH_BEFORE names $before, which is not a file" >&2
    exit 1
fi

for tool in fuse2fs mkfs.ext4 fusermount3 python3 dd mountpoint; do
    command -v "$tool" >/dev/null || {
        echo "fuse: $tool is missing (Debian: apt-get install -y fuse2fs fuse3 python3)" >&2
        exit 1
    }
done
[[ "$(id -u)" == 0 ]] || { echo "fuse: run as root (tmpfs mount and /proc/sys/vm/drop_caches)" >&2; exit 1; }

rm_="$root/rumpmount"
"$rm_" --version >/dev/null # builds the jar when it is stale, outside the timings

mkdir -p "$work" "$(dirname "$out")"
mnt_ours="$work/mnt-ours" mnt_f2fs="$work/mnt-fuse2fs" mnt_tmpfs="$work/mnt-tmpfs" mnt_before="$work/mnt-before"
fss=(ours fuse2fs tmpfs)
[[ -z "$before" ]] || fss=(before ours fuse2fs tmpfs)
before_xmx=
if [[ -n "$before" ]]; then
    # Empty for a build older than the heap bound.
    before_xmx="$(java -XX:TieredStopAtLevel=1 -Xlog:disable -cp "$before" org.rumpmount.cli.HeapLimit \
        mount -f -o "cache_size=$cache" x y 2>/dev/null)" || before_xmx=
fi
declare -A pid=()

unmount_all() {
    for m in "$mnt_ours" "$mnt_f2fs" "$mnt_tmpfs" "$mnt_before"; do
        if mountpoint -q "$m" 2>/dev/null; then
            umount "$m" 2>/dev/null || fusermount3 -u -z "$m" 2>/dev/null || true
        fi
    done
    for k in "${!pid[@]}"; do
        wait "${pid[$k]}" 2>/dev/null || true
    done
}
trap unmount_all EXIT
unmount_all

# Foreground servers, children of this script, so that their end can be waited for: the image
# lock (ours) and the last writes (both) are done only when the process is gone.
start() {
    case "$1" in
    ours)
        "$rm_" mount -f -o "$ours_opts" "$work/ffs.img" "$mnt_ours" 2>>"$work/ours.log" &
        pid[ours]=$!
        ;;
    before)
        # The launcher's flags for a foreground mount daemon (C1 alone, the heap bound it derives
        # from the cache size), on the earlier build's jar.
        java -Dfile.encoding=ISO-8859-1 -XX:TieredStopAtLevel=1 $before_xmx -Xlog:disable -Xlog:all=warning:stderr \
            -jar "$before" mount -f -o "cache_size=$cache" "$work/ffs-before.img" "$mnt_before" 2>>"$work/before.log" &
        pid[before]=$!
        ;;
    fuse2fs)
        fuse2fs -f -o fakeroot "$work/ext4.img" "$mnt_f2fs" 2>>"$work/fuse2fs.log" &
        pid[fuse2fs]=$!
        ;;
    tmpfs)
        mountpoint -q "$mnt_tmpfs" || mount -t tmpfs -o size=$((mib * 2 + 256))m tmpfs "$mnt_tmpfs"
        return
        ;;
    esac
    local m
    m="$(mnt "$1")"
    for _ in $(seq 600); do
        mountpoint -q "$m" && return
        kill -0 "${pid[$1]}" 2>/dev/null || { echo "fuse: $1 did not mount; see $work/$1.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "fuse: $1 did not mount in 60 s" >&2
    exit 1
}

stop() {
    [[ "$1" == tmpfs ]] && return
    fusermount3 -u "$(mnt "$1")"
    wait "${pid[$1]}"
    unset "pid[$1]"
}

mnt() {
    case "$1" in ours) echo "$mnt_ours" ;; before) echo "$mnt_before" ;; fuse2fs) echo "$mnt_f2fs" ;; tmpfs) echo "$mnt_tmpfs" ;; esac
}



# The same small program for every file system: its own cost per call (a few microseconds) is
# small beside a FUSE round trip and is paid equally by all three.
meta() {
    python3 - "$1" "$files" <<'PY'
import os, sys, time
d, n = sys.argv[1], int(sys.argv[2])
os.mkdir(d)
names = [os.path.join(d, "f%06d" % i) for i in range(n)]
t0 = time.perf_counter()
for p in names:
    os.close(os.open(p, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
t1 = time.perf_counter()
for p in names:
    os.stat(p)
t2 = time.perf_counter()
# One open file, its attributes asked through the descriptor: one GETATTR round trip each on
# every FUSE mount (no attribute caching on either: attr_timeout=0), the floor of every operation.
fd = os.open(names[0], os.O_RDONLY)
t2a = time.perf_counter()
for _ in range(n):
    os.fstat(fd)
t2b = time.perf_counter()
os.close(fd)
# One name by its full path, held by the kernel's dentry cache: one GETATTR for the file, plus,
# where the kernel checks permissions itself (default_permissions: ours, not fuse2fs's), one per
# directory of the path inside the mount, whose attributes it must fetch fresh to check them.
t2c = time.perf_counter()
for _ in range(n):
    os.stat(names[0])
t3 = time.perf_counter()
for p in names:
    os.unlink(p)
t4 = time.perf_counter()
os.rmdir(d)
print("%.1f %.1f %.1f %.1f %.1f" % (n / (t1 - t0), n / (t2 - t1), n / (t4 - t3), n / (t2b - t2a), n / (t3 - t2c)))
PY
}

echo "fuse: making images in $work" >&2
rm -f "$work/ffs.img" "$work/ffs-before.img" "$work/ext4.img"
mkdir -p "$mnt_ours" "$mnt_f2fs" "$mnt_tmpfs" "$mnt_before"
"$rm_" newfs -s 4g "$work/ffs.img" >/dev/null
[[ -z "$before" ]] || "$rm_" newfs -s 4g "$work/ffs-before.img" >/dev/null
truncate -s 4G "$work/ext4.img"
# fuse2fs does not write a journal ("Writing to the journal is not supported"): make none.
mkfs.ext4 -q -F -O ^has_journal "$work/ext4.img"
: >"$work/ours.log"
: >"$work/fuse2fs.log"
: >"$work/before.log"

load_start="$(load_average)"
results="$work/results.txt"
: >"$results"
for run in $(seq "$runs"); do
    for fs in "${fss[@]}"; do
        echo "fuse: run $run, $fs" >&2
        m="$(mnt "$fs")"
        start "$fs"
        if [[ "$meta_only" == 1 ]]; then
            w=0 rc=0 rw=0
        else
            rm -f "$m/big"
            drop_caches
            w="$(timed dd if=/dev/zero of="$m/big" bs=1M count="$mib" conv=fsync)"
            # A new server and no cached pages anywhere: the image is read from the disk.
            stop "$fs"
            drop_caches
            start "$fs"
            rc="$(timed dd if="$m/big" of=/dev/null bs=1M)"
            # A new server again, but the image's pages still in the host's cache: the file system's own cost.
            stop "$fs"
            start "$fs"
            rw="$(timed dd if="$m/big" of=/dev/null bs=1M)"
        fi
        c=0 s=0 u=0 one=0 path=0
        [[ "$meta_rows" == 0 ]] || read -r c s u one path <<<"$(meta "$m/meta$run")"
        stop "$fs"
        echo "$run $fs $w $rc $rw $c $s $u $one $path" >>"$results"
    done
done
umount "$mnt_tmpfs"

for log in "$work/ours.log" "$work/before.log"; do
    if grep -qiE 'severe|exception|error' "$log"; then
        echo "fuse: rumpmount logged errors, see $log" >&2
        exit 1
    fi
done

{
    echo "# FUSE benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    machine "$load_start"
    echo
    echo '```'
    java -version 2>&1
    echo "$(uname -sr); $(fuse2fs -V 2>&1 | head -1); $(fuse2fs -V 2>&1 | sed -n 2p)"
    echo '```'
    python3 - "$results" "$mib" "$files" "$runs" "$ours_opts" "$before" "$meta_only" "$meta_rows" <<'PY'
import statistics, sys
path, mib, files, runs, opts, before = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
meta_only = sys.argv[7] == "1"
meta_rows = sys.argv[8] != "0"
rows = {}
for line in open(path):
    run, fs, *v = line.split()
    rows.setdefault(fs, []).append([float(x) for x in v])
def med(fs, i, rate):
    vals = [rate(r[i]) for r in rows[fs]]
    return statistics.median(vals), vals
mb = mib * 1048576 / 1e6
metrics = [
    ("sequential write, %d MiB, bs 1M, conv=fsync (MB/s)" % mib, 0, lambda s: mb / s),
    ("sequential read, cold: caches dropped, new server (MB/s)", 1, lambda s: mb / s),
    ("sequential read, image cached by the host, new server (MB/s)", 2, lambda s: mb / s),
    ("create %d files in one directory (files/s)" % files, 3, lambda r: r),
    ("stat the %d files (files/s)" % files, 4, lambda r: r),
    ("unlink the %d files (files/s)" % files, 5, lambda r: r),
    ("fstat of one open file %d times: one GETATTR round trip each, attr_timeout=0 (calls/s)" % files, 6, lambda r: r),
    ("stat of one file by its full path %d times (calls/s)" % files, 7, lambda r: r),
]
if meta_only:
    metrics = metrics[3:]
elif not meta_rows:
    metrics = metrics[:3]
print()
print("Each figure is the median of %d runs (all runs in brackets), the %s file systems taking" % (runs, "four" if before else "three"))
print("turns within each run. ours: `rumpmount mount -f -o %s` of a 4 GiB FFS image from" % opts)
print("`rumpmount newfs`; fuse2fs: `fuse2fs -f -o fakeroot` of a 4 GiB ext4 image from `mkfs.ext4`;")
print("tmpfs: the kernel's. The images are sparse files in bench/work on the host's disk.")
if meta_only:
    print("The metadata loops alone (BENCH_META_ONLY=1): no sequential I/O in these runs.")
fss = ["ours", "fuse2fs", "tmpfs"]
if before:
    fss.insert(0, "before")
    print("before: the same mount run by an earlier build (%s), on an image of its own." % before)
print()
print("| | %s | ours / fuse2fs |%s" % (" | ".join(fss), " ours / before |" if before else ""))
print("|:---|%s---:|%s" % ("---:|" * len(fss), "---:|" if before else ""))
for name, i, rate in metrics:
    cells = []
    for fs in fss:
        m, vals = med(fs, i, rate)
        cells.append("%.0f (%s)" % (m, ", ".join("%.0f" % v for v in vals)))
    ratio = med("ours", i, rate)[0] / med("fuse2fs", i, rate)[0]
    extra = " %.2f |" % (med("ours", i, rate)[0] / med("before", i, rate)[0]) if before else ""
    print("| %s | %s | %.2f |%s" % (name, " | ".join(cells), ratio, extra))
PY
} >"$out"
echo "fuse: wrote $out" >&2
