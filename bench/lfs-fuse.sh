#!/usr/bin/env bash
# Sequential throughput through a FUSE mount of an LFS image (rumpmount), beside an FFS image of
# the same size and cache, an lfs64 image and the kernel's tmpfs, in one run, interleaved; then
# fsck of every image and a checksum of the file read back. Writes bench/results/lfs-fuse-<date>.md.
# Needs root (tmpfs mounts, drop_caches) and, on Debian: apt-get install -y fuse3 python3.
set -euo pipefail

bench=lfs-fuse
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
work="${BENCH_WORK:-$root/bench/work}/lfs-fuse"
runs="${BENCH_RUNS:-3}"
mib="${BENCH_MIB:-1024}"
size="${BENCH_SIZE:-4g}"
cache="${BENCH_CACHE:-64m}"
# No periodic sync: the daemon's sync thread, interrupted by the unmount while it flushes the
# image, leaves the image's channel closed and the unmount failing. The timed fsync and the
# unmount write everything anyway.
opts="cache_size=$cache${BENCH_OPTS:-,sync_interval=0}"
read -r -a systems <<<"${BENCH_FS:-lfs ffs lfs64 tmpfs}"
out="${BENCH_OUT:-$root/bench/results/lfs-fuse-$(date -u +%Y-%m-%d).md}"
# Extra JVM options for the servers (profiling: -XX:StartFlightRecording=...).
server_opts="${BENCH_SERVER_OPTS:-}"
# Another build's rumpmount.jar (its lib/ beside it), timed on an LFS image of its own as the
# column "lfs-before": before-and-after figures from one run.
before_jar="${BENCH_BEFORE_JAR:-}"
if [[ -n "$before_jar" ]]; then
    [[ -f "$before_jar" ]] || { echo "lfs-fuse: BENCH_BEFORE_JAR $before_jar is not a file" >&2; exit 1; }
    [[ " ${systems[*]} " == *" lfs-before "* ]] || systems=(lfs-before "${systems[@]}")
fi

for tool in fusermount3 python3 dd mountpoint sha256sum; do
    command -v "$tool" >/dev/null || {
        echo "lfs-fuse: $tool is missing (Debian: apt-get install -y fuse3 python3)" >&2
        exit 1
    }
done
[[ "$(id -u)" == 0 ]] || { echo "lfs-fuse: run as root (tmpfs mounts and /proc/sys/vm/drop_caches)" >&2; exit 1; }

rm_="$root/rumpmount"
"$rm_" --version >/dev/null # builds the jar when it is stale, outside the timings

load_start="$(load_average)"
mkdir -p "$work" "$(dirname "$out")"
src="$work/src" # a tmpfs holding the data written, so that no file system writes only zeros
declare -A pid=()

mnt() { echo "$work/mnt-$1"; }
img() { echo "$work/$1.img"; }

unmount_all() {
    for fs in "${systems[@]}"; do
        local m
        m="$(mnt "$fs")"
        if mountpoint -q "$m" 2>/dev/null; then
            umount "$m" 2>/dev/null || fusermount3 -u -z "$m" 2>/dev/null || true
        fi
    done
    for k in "${!pid[@]}"; do
        wait "${pid[$k]}" 2>/dev/null || true
    done
    if mountpoint -q "$src" 2>/dev/null; then umount "$src"; fi
}
trap unmount_all EXIT
unmount_all

# Foreground servers, children of this script, so that their end can be waited for: the image
# lock and the last writes (the checkpoint at unmount) are done only when the process is gone.
start() {
    local fs="$1" m
    m="$(mnt "$fs")"
    if [[ "$fs" == tmpfs ]]; then
        mountpoint -q "$m" || mount -t tmpfs -o size=$((mib * 2 + 256))m tmpfs "$m"
        return
    fi
    # Through a small parent that writes the server's CPU time (user + system, from wait4) to
    # $work/$fs.cpu when it ends: a figure that other load on the machine disturbs much less
    # than the wall-clock time.
    rm -f "$work/$fs.cpu"
    local env=()
    [[ -n "$server_opts" ]] && env=(JAVA_TOOL_OPTIONS="$server_opts")
    local cmd=("$rm_")
    # The launcher's own settings for a mount, with the other build's jar.
    [[ "$fs" == lfs-before ]] && cmd=(java -Dfile.encoding=ISO-8859-1 -Xlog:disable -Xlog:all=warning:stderr -jar "$before_jar")
    env "${env[@]}" python3 -c '
import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
u = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write("%.2f\n" % (u.ru_utime + u.ru_stime))
sys.exit(rc)
' "$work/$fs.cpu" "${cmd[@]}" mount -f -o "$opts" "$(img "$fs")" "$m" 2>>"$work/$fs.log" &
    pid[$fs]=$!
    for _ in $(seq 600); do
        mountpoint -q "$m" && return
        kill -0 "${pid[$fs]}" 2>/dev/null || { echo "lfs-fuse: $fs did not mount; see $work/$fs.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "lfs-fuse: $fs did not mount in 60 s" >&2
    exit 1
}

# Unmounts, waits for the server to end (its last writes, the checkpoint at unmount, are done
# only then) and sets cpu to the CPU seconds it used in its life.
cpu=0
stop() {
    local fs="$1"
    cpu=0
    [[ "$fs" == tmpfs ]] && return
    fusermount3 -u "$(mnt "$fs")"
    wait "${pid[$fs]}"
    unset "pid[$fs]"
    cpu="$(cat "$work/$fs.cpu")"
}



echo "lfs-fuse: making the data and the images in $work" >&2
mkdir -p "$src"
mount -t tmpfs -o size=$((mib + 64))m tmpfs "$src"
# Pseudo-random data, so that a block read back from the wrong place or a hole shows in the sum.
python3 - "$src/data" "$mib" <<'PY'
import hashlib, sys
path, mib = sys.argv[1], int(sys.argv[2])
block = bytearray()
h = hashlib.sha256(b"rumpmount lfs-fuse")
while len(block) < 1 << 20:
    h.update(b"x")
    block += h.digest()
with open(path, "wb") as f:
    for i in range(mib):
        f.write(i.to_bytes(8, "little") + bytes(block[8:]))  # each MiB distinct
PY
want="$(sha256sum <"$src/data" | cut -d' ' -f1)"
for fs in "${systems[@]}"; do
    mkdir -p "$(mnt "$fs")"
    [[ "$fs" == tmpfs ]] && continue
    rm -f "$(img "$fs")"
    case "$fs" in
    lfs | lfs-before) "$rm_" newfs -t lfs -s "$size" "$(img "$fs")" >"$work/$fs.newfs" ;;
    lfs64) "$rm_" newfs -t lfs -O 64 -s "$size" "$(img "$fs")" >"$work/$fs.newfs" ;;
    ffs) "$rm_" newfs -s "$size" "$(img "$fs")" >"$work/$fs.newfs" ;;
    *) echo "lfs-fuse: unknown file system $fs (lfs, lfs64, ffs, tmpfs; lfs-before with BENCH_BEFORE_JAR)" >&2; exit 1 ;;
    esac
    : >"$work/$fs.log"
done

results="$work/results.txt"
: >"$results"
for run in $(seq "$runs"); do
    for fs in "${systems[@]}"; do
        echo "lfs-fuse: run $run, $fs" >&2
        m="$(mnt "$fs")"
        start "$fs"
        rm -f "$m/big"
        drop_caches
        w="$(timed dd if="$src/data" of="$m/big" bs=1M conv=fsync)"
        stop "$fs"
        cw="$cpu"
        # A new server and no cached pages anywhere: the image is read from the disk.
        drop_caches
        start "$fs"
        rc="$(timed dd if="$m/big" of=/dev/null bs=1M)"
        stop "$fs"
        crc="$cpu"
        # A new server again, but the image's pages still in the host's cache: the file system's own cost.
        start "$fs"
        rw="$(timed dd if="$m/big" of=/dev/null bs=1M)"
        stop "$fs"
        crw="$cpu"
        echo "$run $fs $w $rc $rw $cw $crc $crw" >>"$results"
    done
done

# Every image read back whole and checked: the figures count only if the file system is right.
checks="$work/checks.txt"
: >"$checks"
for fs in "${systems[@]}"; do
    m="$(mnt "$fs")"
    start "$fs"
    got="$(sha256sum <"$m/big" | cut -d' ' -f1)"
    stop "$fs"
    [[ "$got" == "$want" ]] || { echo "lfs-fuse: $fs read back $got, wrote $want" >&2; exit 1; }
    line="$fs: sha256 of the file read back matches the data written"
    if [[ "$fs" != tmpfs ]]; then
        t=ffs
        [[ "$fs" == lfs* ]] && t=lfs
        rc=0
        "$rm_" fsck -f -n -t "$t" "$(img "$fs")" >"$work/$fs.fsck" 2>&1 || rc=$?
        ((rc == 0)) || { echo "lfs-fuse: fsck -t $t of $fs exited $rc, see $work/$fs.fsck" >&2; exit 1; }
        line="$line; \`rumpmount fsck -f -n -t $t\`: clean ($(tail -1 "$work/$fs.fsck"))"
    fi
    echo "$line" >>"$checks"
done
umount "$(mnt tmpfs)" 2>/dev/null || true

for fs in "${systems[@]}"; do
    [[ "$fs" == tmpfs ]] && continue
    if grep -qiE 'severe|exception|error' "$work/$fs.log"; then
        echo "lfs-fuse: the $fs server logged errors, see $work/$fs.log" >&2
        exit 1
    fi
done

{
    echo "# LFS through FUSE, beside FFS, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    machine "$load_start"
    echo "(1, 5 and 15 minutes)."
    echo
    echo '```'
    java -version 2>&1
    echo "$(uname -sr); $("$rm_" --version); $(git -C "$root" log -1 --format='%h %s' | cut -c1-100)"
    [[ -n "$before_jar" ]] && echo "lfs-before: $before_jar"
    echo '```'
    python3 - "$results" "$mib" "$runs" "$opts" "$size" "${systems[*]}" <<'PY'
import statistics, sys
path, mib, runs, opts, size, systems = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6].split()
rows = {}
for line in open(path):
    run, fs, *v = line.split()
    rows.setdefault(fs, []).append([float(x) for x in v])
def med(fs, i, rate):
    vals = [rate(r[i]) for r in rows[fs]]
    return statistics.median(vals), vals
mb = mib * 1048576 / 1e6
speed = lambda s: mb / s
cpu = lambda s: s
metrics = [
    ("sequential write, %d MiB, bs 1M, conv=fsync (MB/s)" % mib, 0, speed, "%.0f"),
    ("sequential read, cold: caches dropped, new server (MB/s)", 1, speed, "%.0f"),
    ("sequential read, image cached by the host, new server (MB/s)", 2, speed, "%.0f"),
    ("server CPU, mount + write + unmount (s)", 3, cpu, "%.1f"),
    ("server CPU, mount + cold read + unmount (s)", 4, cpu, "%.1f"),
    ("server CPU, mount + cached read + unmount (s)", 5, cpu, "%.1f"),
]
print()
print("Each figure is the median of %d runs (all runs in brackets), the file systems taking turns" % runs)
print("within each run. lfs, lfs64, ffs: `rumpmount mount -f -o %s` of a %s sparse image" % (opts, size))
print("from `rumpmount newfs -t lfs` (32-bit, default segment size), `newfs -t lfs -O 64` and")
print("`newfs` (UFS2), in bench/work on the host's disk; tmpfs: the kernel's, the ceiling. The data")
print("written is a %d MiB pseudo-random file held in a tmpfs. Server CPU is user + system time of" % mib)
print("the daemon over its life (JVM start-up and JIT included, the same for every image).")
if "lfs-before" in systems:
    print("lfs-before: the same as lfs, served by the build named above (before this round's changes).")
print()
has = lambda fs: fs in rows
cols = [fs for fs in systems if has(fs)]
ratios = [(a, b) for a, b in (("lfs", "ffs"), ("lfs-before", "ffs"), ("lfs", "lfs-before")) if has(a) and has(b)]
print("| | " + " | ".join(cols) + "".join(" | %s / %s" % r for r in ratios) + " |")
print("|:---|" + "---:|" * (len(cols) + len(ratios)))
for name, i, rate, fmt in metrics:
    cells = []
    for fs in cols:
        if fs == "tmpfs" and rate is cpu:
            cells.append("")
            continue
        m, vals = med(fs, i, rate)
        cells.append((fmt + " (%s)") % (m, ", ".join(fmt % v for v in vals)))
    line = "| %s | %s |" % (name, " | ".join(cells))
    for a, b in ratios:
        line += " %.2f |" % (med(a, i, rate)[0] / med(b, i, rate)[0])
    print(line)
PY
    echo
    echo "Checks after the runs:"
    echo
    sed 's/^/- /' "$checks"
    cat <<'EOF'

## Reading these figures

- Rates are MB/s (10^6 bytes a second) of the whole file, timed from dd's start to its end. The
  write's `conv=fsync` makes it include getting everything to the image: for FFS the delayed
  writes of the buffer cache, for LFS the last partial segments (an fsync writes no
  checkpoint; the one at unmount is outside the time but inside the server's CPU figure).
- Cold reads include reading the image from the host's disk, shared with everything else on
  the machine; reads with the image cached by the host are the file system's own cost plus
  FUSE's. Both start a new server, so neither the kernel's page cache of the FUSE file nor the
  server's buffer cache has anything.
- Server CPU is the daemon's whole life (JVM start-up, JIT, mount, the operation, unmount and
  its checkpoint). It is the figure other load disturbs least: compare it within a row.
- tmpfs is the ceiling: the kernel's own memory file system, no FUSE and no server at all.
- With the load average well above the CPU count, the wall-clock figures mostly measure
  waiting for a CPU and vary from run to run: only figures from the same run, and their
  ratios, say anything, which is why the file systems take turns within each run.
- The ratio columns are of the medians; for the CPU rows a ratio below 1 means less CPU.
EOF
} >"$out"
echo "lfs-fuse: wrote $out" >&2
