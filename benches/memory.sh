#!/bin/sh
# Peak memory and wall time of the CLI on one and four copies of the
# Kubernetes corpus (docs/performance.md, "Memory").
#
#   benches/memory.sh [AFCHECK_BINARY] [BEFORE_BINARY]
#
# The copies are made under a temporary directory (never in the
# repository) and removed at the end.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/target/release/afcheck}
before=${2:-}
corpus=${AFCHECK_CORPUS:-$here/../shared/corpus}/k8s
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/one" "$tmp/four"
cp -r "$corpus" "$tmp/one/c1"
for i in 1 2 3 4; do cp -r "$corpus" "$tmp/four/c$i"; done
measure() { # binary dir
    /usr/bin/time -v "$1" --no-config --format json --fail-on never "$2" \
        >/dev/null 2>"$tmp/time" || true
    rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$tmp/time")
    wall=$(awk -F': ' '/Elapsed \(wall/ {print $2}' "$tmp/time")
    printf '%s\t%s\t%s MiB\t%s\n' "$(basename "$1")" "$(basename "$2")" \
        "$((rss / 1024))" "$wall"
}
for b in $before $bin; do
    measure "$b" "$tmp/one"
    measure "$b" "$tmp/four"
done
