#!/usr/bin/env bash
# The main job: installs Java 17 and Maven when missing, builds rumpmount, then shows it at work:
# on a copy of a reference FFS image when the shared images are beside this checkout (reading,
# then writing through the shell), and in a shell on an empty tmpfs when this build has tmpfs.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"

if ! command -v javac >/dev/null || ! command -v mvn >/dev/null; then
    .ci/install-packages openjdk-17-jdk-headless maven
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
echo "== building (mvn -DskipTests package)"
mvn -q -B -DskipTests package >"$log" 2>&1 || { cat "$log" >&2; exit 1; }

echo "== rumpmount drivers"
./rumpmount drivers
drivers="$(./rumpmount drivers)"

shared="${RUMPMOUNT_SHARED:-../shared}"
if [[ -f "$shared/images/ufs2-le.img.xz" ]] && grep -q '^ffs ' <<<"$drivers"; then
    command -v xz >/dev/null || .ci/install-packages xz-utils
    img=mountd/target/demo/ufs2-le.img
    mkdir -p "$(dirname "$img")"
    xz -dc "$shared/images/ufs2-le.img.xz" >"$img"
    echo "== rumpmount ls -l $img /"
    ./rumpmount ls -l "$img" /
    echo "== rumpmount cat $img /hello.txt"
    ./rumpmount cat "$img" /hello.txt
    echo "== rumpmount stat $img /special/null"
    ./rumpmount stat "$img" /special/null
    echo "== rumpmount shell $img (mkdir, put, ls -l, df -h)"
    printf 'mkdir /demo\nput README.md /demo/README.md\nls -l /demo\ndf -h\n' | ./rumpmount shell "$img"
    echo "== rumpmount cat $img /demo/README.md, after unmounting, compared with README.md"
    ./rumpmount cat "$img" /demo/README.md | cmp - README.md && echo "identical"
    echo "== rumpmount fsck -f -n $img"
    ./rumpmount fsck -f -n "$img"

    # The main job: the image mounted on the host through FUSE, read with ordinary tools.
    .ci/install-packages libfuse2 fuse3
    mnt="$(mktemp -d)"
    echo "== rumpmount mount -o ro $img $mnt"
    ./rumpmount mount -o ro "$img" "$mnt"
    trap 'fusermount3 -u "$mnt" 2>/dev/null || true; rm -f "$log"' EXIT
    echo "== ls -l $mnt"
    ls -l "$mnt"
    echo "== head -3 $mnt/demo/README.md; df -h $mnt"
    head -3 "$mnt/demo/README.md"
    df -h "$mnt"
    echo "== fusermount3 -u $mnt"
    fusermount3 -u "$mnt"
    rmdir "$mnt"
else
    echo "== (no reference FFS image at $shared/images, or no ffs driver: skipping the image demo)"
fi

if grep -q '^tmpfs ' <<<"$drivers"; then
    echo "== rumpmount shell -t tmpfs none"
    printf 'mkdir /a\nput README.md /a/r\nls -l /a\nstat /a/r\ncat /a/r\ndf -h\n' | ./rumpmount shell -t tmpfs none
else
    echo "== (this build has no tmpfs driver yet: skipping the shell demo)"
fi
