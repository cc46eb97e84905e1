#!/usr/bin/env bash
# Times "rumpmount fsck -f -n" on a clean 300 MiB FFS image holding 20,000 files, made with
# Debian's makefs from a generated tree, with hyperfine. Writes bench/results/fsck-<date>.md.
set -euo pipefail

bench="fsck bench"
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
work="${BENCH_WORK:-$root/bench/work}"
runs="${BENCH_RUNS:-5}"
files="${BENCH_FILES:-20000}"
out="${BENCH_OUT:-$root/bench/results/fsck-$(date -u +%Y-%m-%d).md}"

need hyperfine hyperfine
need makefs makefs
need python3 python3

mkdir -p "$work" "$(dirname "$out")"
rm -rf "$work/fsck-tree"
mkdir -p "$work/fsck-tree"

# 20,000 files in 600 directories, sizes from empty to 20 KB, one in a hundred of 64 KiB and one
# in five hundred of 300 KiB (past the direct blocks of a 16 KiB-block file system): about 140 MiB.
python3 - "$work/fsck-tree" "$files" <<'PY'
import os, sys, random
top, n = sys.argv[1], int(sys.argv[2])
r = random.Random(6)
for i in range(n):
    d = os.path.join(top, "d%03d" % (i % 200), "e%d" % (i % 3))
    os.makedirs(d, exist_ok=True)
    size = 300 * 1024 if i % 500 == 0 else 65536 if i % 100 == 0 else r.choice((0, 10, 700, 3000, 9000, 20000))
    with open(os.path.join(d, "f%05d" % i), "wb") as f:
        f.write(r.randbytes(size))
PY
for v in 1 2; do
    rm -f "$work/fsck-ufs$v.img"
    makefs -t ffs -B le -s 300m -o version=$v,bsize=16384,fsize=2048 "$work/fsck-ufs$v.img" "$work/fsck-tree" >/dev/null
done

rm="$root/rumpmount"
"$rm" --version >/dev/null # builds the jar when it is stale, outside the timings
jar="$root/mountd/target/rumpmount.jar"
notes="$work/fsck-notes.txt"
: >"$notes"
for v in 1 2; do
    # The image must be consistent before it is timed. Debian's makefs (20190105) has left UFS2
    # images of this tree with a directory entry for an inode it never wrote (the driver reads it
    # as EIO too); such an image is repaired first, and the result says so.
    if ! "$rm" fsck -f -n "$work/fsck-ufs$v.img" >"$work/fsck-ufs$v.out"; then
        {
            echo "ufs$v: makefs's image was not consistent; fsck -f -n said:"
            grep -v '^\*\*' "$work/fsck-ufs$v.out" | grep -v '^UNREF FILE\|^SIZE=\|^RECONNECT\|^CLEAR' | head -8
            echo "($(grep -c '^UNREF FILE' "$work/fsck-ufs$v.out") UNREF FILE lines left out); repaired with fsck -f -y before timing."
        } >>"$notes"
        "$rm" fsck -f -y "$work/fsck-ufs$v.img" >/dev/null || [[ $? -eq 1 ]]
        "$rm" fsck -f -n "$work/fsck-ufs$v.img" >"$work/fsck-ufs$v.out"
    fi
done

cd "$work"
{
    echo "# fsck benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    machine
    echo
    versions "hyperfine $(hyperfine --version | cut -d' ' -f2)"
    echo
    echo "Images: makefs -t ffs -B le -s 300m -o version=V,bsize=16384,fsize=2048 from a tree of"
    echo "$files files in 600 directories ($(du -sm fsck-tree | cut -f1) MiB). The summary lines:"
    echo
    echo '```'
    for v in 1 2; do echo "ufs$v: $(tail -1 fsck-ufs$v.out)"; done
    cat "$notes"
    echo '```'
    echo
    echo "\`rumpmount fsck -f -n\` (exit 0: clean) through ./rumpmount, which starts one-shot commands"
    echo "with C1 alone (-XX:TieredStopAtLevel=1), and as plain \`java -jar\`; $runs runs after a warm-up:"
    echo
    timings fsck -i \
        -n "ufs1 ./rumpmount" "../../rumpmount fsck -f -n fsck-ufs1.img" \
        -n "ufs2 ./rumpmount" "../../rumpmount fsck -f -n fsck-ufs2.img" \
        -n "ufs2 java -jar" "java -Dfile.encoding=ISO-8859-1 -jar ../../mountd/target/rumpmount.jar fsck -f -n fsck-ufs2.img"
} >"$out.part"
mv "$out.part" "$out"
echo "fsck bench: wrote $out" >&2
