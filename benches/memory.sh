#!/bin/sh
# Peak memory and wall time of the CLI on one and four copies of the
# Kubernetes corpus (docs/performance.md, "Memory"), and the growth from one
# copy to four (the goal: under 1.5x).
#
#   benches/memory.sh [AFCHECK_BINARY] [BEFORE_BINARY]
#   RUNS=5 benches/memory.sh ...     (default 5 runs of each)
#
# The binaries run alternately, RUNS times each, and the median of each
# measure is printed (the spread of the peaks as min-max): single runs vary
# by several MiB with the threads' timing. The copies are made under a
# temporary directory (never in the repository) and removed at the end.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/target/release/afcheck}
before=${2:-}
runs=${RUNS:-5}
corpus=${AFCHECK_CORPUS:-$here/../shared/corpus}/k8s
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (GNU time)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/one" "$tmp/four"
cp -r "$corpus" "$tmp/one/c1"
for i in 1 2 3 4; do cp -r "$corpus" "$tmp/four/c$i"; done
i=0
while [ "$i" -lt "$runs" ]; do
    n=0
    for b in $before $bin; do
        n=$((n + 1))
        for d in one four; do
            /usr/bin/time -f "%e %U %M" "$b" --no-config --format json \
                --fail-on never -o "$tmp/out.json" "$tmp/$d" \
                >/dev/null 2>"$tmp/time" || true
            printf '%s %s %s\n' "$n" "$d" "$(tail -n 1 "$tmp/time")" >>"$tmp/runs"
        done
    done
    i=$((i + 1))
done
n=0
for b in $before $bin; do
    n=$((n + 1))
    for d in one four; do
        for col in 3 4 5; do
            awk -v n="$n" -v d="$d" -v c="$col" '$1 == n && $2 == d { print $c }' \
                "$tmp/runs" | sort -n >"$tmp/col$col"
        done
        med() { awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2); print v[m] }' "$1"; }
        kib=$(med "$tmp/col5")
        lo=$(head -n 1 "$tmp/col5")
        hi=$(tail -n 1 "$tmp/col5")
        printf '%s\t%s\t%s MiB (%s-%s)\twall %s s\tuser %s s\n' "$b" "$d" \
            "$((kib / 1024))" "$((lo / 1024))" "$((hi / 1024))" \
            "$(med "$tmp/col3")" "$(med "$tmp/col4")"
        eval "peak_$d=$kib"
    done
    awk -v a="$peak_one" -v b="$peak_four" -v x="$b" \
        'BEGIN { printf "%s\tgrowth one -> four: %.2fx\n", x, b / a }'
done
