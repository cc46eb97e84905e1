#!/usr/bin/env bash
# Times building an FFS image from a 20,000-file tree: Debian's makefs against rumpmount makefs
# (same options, same size), and rumpmount put of the tree into an empty image made by our newfs,
# in one hyperfine run. Checks first that every image checks clean and reads back as the tree.
# Writes bench/results/makefs-<date>.md.
set -euo pipefail

bench=makefs-bench
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
work="${BENCH_WORK:-$root/bench/work}"
runs="${BENCH_RUNS:-3}"
files="${BENCH_FILES:-20000}"
size="${BENCH_SIZE:-256m}"
opts="version=2,bsize=32768,fsize=4096"
out="${BENCH_OUT:-$root/bench/results/makefs-$(date -u +%Y-%m-%d).md}"

need hyperfine hyperfine
need makefs makefs
need python3 python3

mkdir -p "$work" "$root/bench/results"
cd "$work"
rm -rf mk-tree mk-out-deb mk-out-ours mk-*.img

# The tree: $files files in 40 directories of 7 subdirectories each; sizes spread from 0 to
# 64 KiB, evenly on a log scale (most files small, a few large, as in real trees), 5% empty.
python3 - mk-tree "$files" <<'PY'
import os, sys, random
top, n = sys.argv[1], int(sys.argv[2])
r = random.Random(20000)
for i in range(n):
    d = os.path.join(top, "d%02d" % (i % 40), "s%d" % (i % 7))
    os.makedirs(d, exist_ok=True)
    size = 0 if r.random() < 0.05 else int(65536 ** r.random())
    with open(os.path.join(d, "f%05d" % i), "wb") as f:
        f.write(r.randbytes(size))
PY
treebytes="$(du -sb mk-tree | cut -f1)"

rm="$root/rumpmount"
"$rm" --version >/dev/null # builds the jar when it is stale, outside the timings
deb=(makefs -t ffs -B le -s "$size" -o "$opts")
ours=("$rm" makefs -B le -s "$size" -o "$opts")

# Every image must check clean and hold exactly the tree before anything is timed.
"${deb[@]}" mk-deb.img mk-tree >/dev/null
"${ours[@]}" mk-ours.img mk-tree >/dev/null
# newfs's default of an inode per 16 KiB would give too few inodes for the tree at this size.
"$rm" newfs -O 2 -b 32768 -f 4096 -i 8192 -s "$size" mk-empty.img >/dev/null
cp --sparse=always mk-empty.img mk-put.img
"$rm" put mk-put.img -r mk-tree /mk-tree
for img in mk-deb.img mk-ours.img mk-put.img; do
    "$rm" fsck -f -n "$img" >/dev/null || { echo "makefs-bench: fsck finds $img not clean" >&2; exit 1; }
done
"$rm" get -r mk-deb.img / mk-out-deb
"$rm" get -r mk-ours.img / mk-out-ours
diff -r mk-tree mk-out-deb
diff -r mk-tree mk-out-ours
"$rm" get -r mk-put.img /mk-tree mk-out-put
diff -r mk-tree mk-out-put
rm -rf mk-out-deb mk-out-ours mk-out-put

# The table names each row, so the commands can name the launcher by its full path (the work
# folder may be anywhere: BENCH_WORK).
cmds=("makefs -t ffs -B le -s $size -o $opts mk-deb.img mk-tree"
    "$rm makefs -B le -s $size -o $opts mk-ours.img mk-tree"
    "$rm put mk-put.img -r mk-tree /mk-tree")
names=("Debian makefs" "rumpmount makefs" "rumpmount put into an empty image")
if [[ -n "${BENCH_BEFORE_JAR:-}" ]]; then
    # An earlier build, for before-and-after figures; run as ./rumpmount runs a one-shot command.
    # Without -s: builds that sized images by too few inodes refuse a size the tree fits in.
    cmds+=("java -XX:TieredStopAtLevel=1 -jar $BENCH_BEFORE_JAR makefs -B le -o $opts mk-before.img mk-tree")
    names+=("rumpmount makefs, earlier build, its own size")
fi
if [[ -n "${BENCH_BEFORE:-}" ]]; then
    # An earlier build run by its own launcher (BENCH_BEFORE/rumpmount beside its
    # mountd/target/rumpmount.jar and lib/), with the JVM settings it chose. Run once first, so
    # that its class-data archive is recorded outside the timings.
    "$BENCH_BEFORE/rumpmount" makefs -B le -s "$size" -o "$opts" mk-before.img mk-tree >/dev/null
    cmds+=("$BENCH_BEFORE/rumpmount makefs -B le -s $size -o $opts mk-before.img mk-tree")
    names+=("rumpmount makefs, earlier build")
fi
args=()
for i in "${!cmds[@]}"; do
    # put needs the empty image back before each run; the others replace their image themselves.
    if [[ "${cmds[$i]}" == *" put "* ]]; then
        args+=(--prepare "cp --sparse=always mk-empty.img mk-put.img")
    else
        args+=(--prepare "true")
    fi
    args+=(--command-name "${names[$i]}" "${cmds[$i]}")
done

{
    echo "# makefs benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    machine
    echo
    echo '```'
    java -version 2>&1
    echo "hyperfine $(hyperfine --version | cut -d' ' -f2), makefs $(dpkg-query -W -f '${Version}' makefs 2>/dev/null || echo '?')"
    echo '```'
    echo
    echo "Tree: $files files ($treebytes bytes) in 40 directories of 7 subdirectories, sizes from 0 to"
    echo "64 KiB spread evenly on a log scale, 5% empty. Every image: UFS2, little-endian,"
    echo "\`-o $opts\`, \`-s $size\`. Before timing, each image was checked clean by \`rumpmount fsck -f -n\`"
    echo "and read back with \`rumpmount get -r\` identical to the tree (\`diff -r\`). \`put\` copies into an"
    echo "empty image made by \`rumpmount newfs -i 8192\`, restored before each run. $runs runs each after one"
    echo "warm-up; \`-N\` (no shell). Times include the JVM's start-up."
    echo
    hyperfine -N --style basic --warmup 1 --runs "$runs" --export-markdown "$work/mk-table.md" \
        --export-json "$work/mk-table.json" "${args[@]}" >&2
    cat "$work/mk-table.md"
    echo
    echo "CPU time (hyperfine's user + system, mean), which the machine's other load disturbs less:"
    echo
    python3 - "$work/mk-table.json" <<'PY2'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("- %s: %.2f + %.2f s" % (r["command"], r["user"], r["system"]))
PY2
    echo
    echo "Load average at the end: $(load_average)."
} >"$out"
echo "makefs-bench: wrote $out" >&2
