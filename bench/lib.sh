# What the benchmark scripts share; each sources it after setting "bench" to the name its
# messages start with:
#
#     bench=fsck
#     source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
#
# It sets "root" to the checkout. Sourced, not run: it changes no shell option of its caller.
# timings reads the caller's "runs" and "work"; the crash_ functions its "cuts", "workloads" and
# "seed".

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"

# need TOOL [PACKAGE]: TOOL on the PATH; installed from PACKAGE with apt-get when missing, or
# without a PACKAGE a stop with a message saying it is needed.
need() {
    command -v "$1" >/dev/null && return
    if [[ $# -lt 2 ]]; then
        echo "$bench: $1 is needed" >&2
        exit 1
    fi
    echo "$bench: installing $2" >&2
    apt-get install -y "$2" >/dev/null
}

# The load average over 1, 5 and 15 minutes, as /proc/loadavg gives it.
load_average() {
    cut -d' ' -f1-3 /proc/loadavg
}

# "N CPUs (model name)".
cpus() {
    echo "$(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
}

# The results file's two lines on the machine: CPUs, memory and the load average now, or with
# START (an earlier load_average) the load at the start and now.
machine() {
    echo "Machine: $(cpus),"
    if [[ $# -gt 0 ]]; then
        echo "$(free -m | awk '/^Mem:/ {print $2}') MiB memory, load average at start $1, at the end $(load_average)."
    else
        echo "$(free -m | awk '/^Mem:/ {print $2}') MiB memory, load average at start $(load_average)."
    fi
}

# The JVM's version, then each LINE given (other tools' versions), as a code block.
versions() {
    echo '```'
    java -version 2>&1
    local line
    for line in "$@"; do
        echo "$line"
    done
    echo '```'
}

# timings NAME [HYPERFINE ARGUMENTS...]: hyperfine's markdown table of the commands, $runs runs
# each after one warm-up, without a shell; its markdown and JSON stay in $work as NAME.md and
# NAME.json (for cpu_table).
timings() {
    hyperfine -N --style basic --warmup 1 --runs "$runs" --export-markdown "$work/$1.md" \
        --export-json "$work/$1.json" "${@:2}" >&2
    cat "$work/$1.md"
}

# cpu_table NAME: each command of timings NAME with its mean CPU time (user + system), which the
# machine's other load disturbs much less than the wall-clock time.
cpu_table() {
    python3 - "$work/$1.json" <<'PY'
import json, sys
print("| Command | CPU (user + system) [s] |")
print("|:---|---:|")
for r in json.load(open(sys.argv[1]))["results"]:
    print("| `%s` | %.3f |" % (r["command"], r["user"] + r["system"]))
PY
}

# Empties the host's page cache (root only), so that the next read comes from the disk.
drop_caches() {
    sync
    echo 3 >/proc/sys/vm/drop_caches
}

# Seconds a command takes, to the microsecond; its output is discarded.
timed() {
    local t0 t1
    t0="$(date +%s.%N)"
    "$@" >/dev/null 2>&1
    t1="$(date +%s.%N)"
    python3 -c "print('%.6f' % ($t1 - $t0))"
}

# crash_test TEST RAW LOG [MAVEN OPTIONS...]: runs the fs-drivers power-cut test class TEST with
# $cuts cuts over $workloads workloads from $seed, its figures going to RAW and maven's output to
# LOG; sets crash_status (maven's exit status) and crash_elapsed (seconds, build included).
crash_test() {
    local test="$1" raw="$2" log="$3" start
    mkdir -p "$(dirname "$raw")" "$(dirname "$log")"
    rm -f "$raw"
    start=$(date +%s)
    crash_status=0
    (cd "$root" && mvn -q -B "${@:4}" -pl fs-drivers -am verify -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
        -DargLine="-Drumpmount.crash.cuts=$cuts -Drumpmount.crash.workloads=$workloads -Drumpmount.crash.seed=$seed -Drumpmount.crash.out=$raw") \
        >"$log" 2>&1 || crash_status=$?
    crash_elapsed=$(($(date +%s) - start))
}

# crash_command SCRIPT TEST: the results file's lines on how crash_test ran.
crash_command() {
    echo "Command: \`bench/$1\` with CRASH_CUTS=$cuts CRASH_WORKLOADS=$workloads CRASH_SEED=$seed"
    echo "($2 with -Drumpmount.crash.cuts=$cuts -Drumpmount.crash.workloads=$workloads"
    echo "-Drumpmount.crash.seed=$seed); maven exit status $crash_status."
}

# crash_figures RAW LOG: the figures crash_test wrote, as a code block, or where to look instead.
crash_figures() {
    echo '```'
    if [[ -f "$1" ]]; then cat "$1"; else echo "no figures: see ${2#"$root/"}"; fi
    echo '```'
}

# crash_done LOG OUT: says where the results are, with the end of maven's output when it failed;
# exits with maven's status.
crash_done() {
    if [[ $crash_status -ne 0 ]]; then
        grep -v '^\s*at ' "$1" | tail -40 >&2
    fi
    echo "$bench: wrote $2" >&2
    exit "$crash_status"
}
