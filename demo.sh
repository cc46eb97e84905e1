#!/usr/bin/env bash
# The main job: installs Java 17 and Maven when missing, builds rumpmount, and runs a session of
# its shell on an empty tmpfs: make a directory, copy this README in, list it, print it back.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"

if ! command -v javac >/dev/null || ! command -v mvn >/dev/null; then
    .ci/install-packages openjdk-17-jdk-headless maven
fi
mvn -q -B -DskipTests package

echo "== rumpmount drivers"
./rumpmount drivers
echo "== rumpmount shell -t tmpfs none"
printf 'mkdir /a\nput README.md /a/r\nls -l /a\nstat /a/r\ncat /a/r\ndf -h\n' | ./rumpmount shell -t tmpfs none
