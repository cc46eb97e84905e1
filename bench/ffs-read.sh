#!/usr/bin/env bash
# Times reading FFS images with rumpmount against sleuthkit (fls/icat), and the JVM's share of a
# cold one-shot command. Builds its images with Debian's makefs (UFS1, which stock sleuthkit reads),
# runs everything in one go and writes bench/results/ffs-read-<date>.md.
set -euo pipefail

bench=ffs-read
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
work="${BENCH_WORK:-$root/bench/work}"
runs="${BENCH_RUNS:-5}"
files="${BENCH_FILES:-20000}"
out="${BENCH_OUT:-$root/bench/results/ffs-read-$(date -u +%Y-%m-%d).md}"

need hyperfine hyperfine
need makefs makefs
need fls sleuthkit
need python3 python3

mkdir -p "$work" "$root/bench/results"
rm -rf "$work/big" "$work/tree" "$work/small"
mkdir -p "$work/big" "$work/tree" "$work/small"

# 200 MiB of incompressible content, one file; then a tree of many small files in 100 directories.
head -c $((200 * 1024 * 1024)) /dev/urandom >"$work/big/big"
python3 - "$work/tree" "$files" <<'PY'
import os, sys, random
top, n = sys.argv[1], int(sys.argv[2])
r = random.Random(1)
for i in range(n):
    d = os.path.join(top, "d%03d" % (i % 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%05d" % i), "wb") as f:
        f.write(r.randbytes(r.choice((0, 10, 700, 3000, 9000))))
PY
for i in 1 2 3 4 5; do echo "small $i" >"$work/small/f$i"; done

makefs -t ffs -B le -M 4m -f 10% -o version=1,bsize=8192,fsize=1024 "$work/big.img" "$work/big" >/dev/null
makefs -t ffs -B le -M 4m -f 10% -o version=1,bsize=8192,fsize=1024 "$work/tree.img" "$work/tree" >/dev/null
makefs -t ffs -B le -M 4m -f 10% -o version=1,bsize=8192,fsize=1024 "$work/small.img" "$work/small" >/dev/null

rm="$root/rumpmount"
"$rm" ls "$work/small.img" / >/dev/null # builds the jar when it is stale, outside the timings
jar="$root/mountd/target/rumpmount.jar"
ino="$(fls -f ufs "$work/big.img" | awk '$NF == "big" { sub(":", "", $2); print $2 }')"
[[ -n "$ino" ]] || { echo "ffs-read: sleuthkit did not find /big in $work/big.img" >&2; exit 1; }

# Both tools must agree before they are timed.
cmp <("$rm" cat "$work/big.img" /big) "$work/big/big"
cmp <(icat -f ufs "$work/big.img" "$ino") "$work/big/big"


# Run from the work folder with short names, so the tables read well.
cd "$work"
rm="../../rumpmount"
jar="../../mountd/target/rumpmount.jar"
# The launcher records its class-data archive on its first run after a build; make sure that
# run is behind us, outside the timings.
"$rm" ls small.img / >/dev/null
enc="-Dfile.encoding=ISO-8859-1"
# hyperfine's table, then each command's CPU time (user + system), which the machine's other
# load disturbs much less than the wall-clock time.
md() {
    timings "$@"
    echo
    cpu_table "$1"
}
{
    echo "# FFS read benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    machine
    echo
    versions "hyperfine $(hyperfine --version | cut -d' ' -f2), $(fls -V)"
    echo
    echo "Images (makefs, UFS1, little-endian, 8192/1024): big.img holds one 200 MiB file;"
    echo "tree.img holds $files files in 100 directories; small.img holds 5 small files."
    echo "$runs runs each after one warm-up; \`-N\` (no shell); run in bench/work. Other work on the"
    echo "machine shows in the spread: compare rows of one table, not tables of different days."
    echo "\`rumpmount\` is the launcher as a user runs it (C1 only, serial collector, class-data archive);"
    echo "the \`java -jar\` rows run the same jar with the JVM's defaults (full JIT, G1, no archive)."
    echo
    echo "## Reading one 200 MiB file"
    echo
    md cat "$rm cat big.img /big" "icat -f ufs big.img $ino" "java $enc -jar $jar cat big.img /big"
    echo
    echo "## Listing a tree of $files files recursively, long format"
    echo
    md list "$rm ls -lR tree.img /" "fls -r -l -f ufs tree.img" "java $enc -jar $jar ls -lR tree.img /"
    echo
    echo "## A cold one-shot command on a small image, and the JVM's part of it"
    echo
    echo "\`java -version\` is the JVM starting and stopping; \`--version\` adds picocli and the command"
    echo "line; \`ls\` adds the kernel, the FFS driver and one mount. The java lines run the same jar with"
    echo "one of the launcher's settings each."
    echo
    md cold "java -version" "$rm --version" "$rm ls small.img /" \
        "java $enc -jar $jar ls small.img /" \
        "java $enc -XX:TieredStopAtLevel=1 -jar $jar ls small.img /" \
        "java $enc -XX:+UseSerialGC -jar $jar ls small.img /" \
        "java $enc -XX:SharedArchiveFile=../../mountd/target/rumpmount-ls.jsa -jar $jar ls small.img /"
} >"$out"
echo "ffs-read: wrote $out" >&2
