#!/usr/bin/env bash
# The pre-commit hook `afcheck`: runs the afcheck release binary of the
# version this checkout is (its Cargo.toml), downloaded once into
# ${XDG_CACHE_HOME:-~/.cache}/afcheck/<version> with its SHA-256 checked
# against the release's SHA256SUMS (see scripts/action.sh install). Pin the
# hook with `rev: vX.Y.Z` to get exactly that release.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
version="${AFCHECK_VERSION:-$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$here/Cargo.toml" | head -n 1)}"
dir="${AFCHECK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/afcheck}/${version}"
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*|Windows*) exe=afcheck.exe ;; *) exe=afcheck ;; esac
if [ ! -x "$dir/$exe" ]; then
  AFCHECK_ACTION_PATH="$here" AFCHECK_VERSION="$version" AFCHECK_INSTALL_DIR="$dir" \
    GITHUB_PATH=/dev/null bash "$here/scripts/action.sh" install >&2
fi
exec "$dir/$exe" "$@"
