#!/usr/bin/env bash
# The GitHub Action's logic, kept here so it can be tested locally:
#   scripts/action.sh resolve   picks the version, the install folder and the
#                               cache key (outputs version, install-dir,
#                               cache-key)
#   scripts/action.sh install   installs afcheck into AFCHECK_INSTALL_DIR:
#                               the release binary of AFCHECK_VERSION, its
#                               SHA-256 checked against the release's
#                               SHA256SUMS; or, only when
#                               AFCHECK_FROM_SOURCE=true, a cargo build of
#                               the action's own source
#   scripts/action.sh run       registers the problem matchers, runs afcheck,
#                               writes the `findings` and `sarif-file` outputs
# Inputs come from INPUT_* and AFCHECK_* variables (see action.yml); outputs
# go to $GITHUB_OUTPUT. AFCHECK_BIN overrides the binary to run (tests use
# it); AFCHECK_DOWNLOAD_URL overrides the release download base URL.
set -euo pipefail

ACTION_PATH="${AFCHECK_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"

log() { echo "afcheck-action: $*" >&2; }
die() { echo "::error title=afcheck::$*"; log "$*"; exit 1; }

target_triple() {
  local os arch
  case "${RUNNER_OS:-$(uname -s)}" in
    Linux) os="unknown-linux-musl" ;;
    macOS|Darwin) os="apple-darwin" ;;
    Windows|MINGW*|MSYS*|CYGWIN*) os="pc-windows-msvc" ;;
    *) return 1 ;;
  esac
  case "${RUNNER_ARCH:-$(uname -m)}" in
    X64|x86_64|amd64) arch="x86_64" ;;
    ARM64|aarch64|arm64) arch="aarch64" ;;
    *) return 1 ;;
  esac
  echo "${arch}-${os}"
}

exe() { case "$(target_triple 2>/dev/null || true)" in *windows*) echo "afcheck.exe" ;; *) echo "afcheck" ;; esac; }

# The version in the action's own Cargo.toml: a tagged checkout of the action
# names the release built from that tag.
own_version() {
  sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$ACTION_PATH/Cargo.toml" | head -n 1
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    die "neither sha256sum nor shasum is available to verify the download"
  fi
}

# A digest of the action's source, for the cache key of a source build.
source_digest() {
  (cd "$ACTION_PATH" && find Cargo.toml Cargo.lock build.rs src rules fixtures -type f 2>/dev/null | LC_ALL=C sort | while read -r f; do
    printf '%s %s\n' "$(sha256_of "$f")" "$f"
  done) | { if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi; } | cut -c1-16
}

resolve() {
  local version key dir triple
  triple="$(target_triple)" || die "unsupported runner ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"
  if [ "${AFCHECK_FROM_SOURCE:-false}" = "true" ]; then
    local digest
    digest="$(source_digest)"
    version="$(own_version)+source.${digest}"
    key="afcheck-source-${triple}-${digest}"
    dir="$HOME/.afcheck/source-${digest}"
  else
    version="${AFCHECK_VERSION:-}"
    version="${version#v}"
    [ -n "$version" ] || version="$(own_version)"
    if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
      die "version must be a release such as 0.2.0, not '${AFCHECK_VERSION:-}'"
    fi
    key="afcheck-${triple}-${version}"
    dir="$HOME/.afcheck/${version}"
  fi
  log "afcheck ${version} for ${triple}"
  {
    echo "version=${version}"
    echo "install-dir=${dir}"
    echo "cache-key=${key}"
  } >> "${GITHUB_OUTPUT:-/dev/null}"
}

install_afcheck() {
  if [ -n "${AFCHECK_BIN:-}" ] && [ -x "${AFCHECK_BIN}" ]; then
    log "using ${AFCHECK_BIN}"
    return 0
  fi
  local version="${AFCHECK_VERSION:?AFCHECK_VERSION is not set (run resolve first)}"
  local dir="${AFCHECK_INSTALL_DIR:?AFCHECK_INSTALL_DIR is not set (run resolve first)}"
  local bin
  bin="$dir/$(exe)"
  if [ -x "$bin" ]; then
    log "restored from the cache: $("$bin" --version)"
    echo "$dir" >> "${GITHUB_PATH:-/dev/null}"
    return 0
  fi
  mkdir -p "$dir"
  if [ "${AFCHECK_FROM_SOURCE:-false}" = "true" ]; then
    command -v cargo >/dev/null 2>&1 \
      || die "build-from-source: true needs cargo on the runner (add a Rust toolchain step first), or remove it to install the release binary"
    local root
    root="$(mktemp -d)"
    AFCHECK_DL_TMP="$root"
    trap 'rm -rf "${AFCHECK_DL_TMP:-}"' EXIT
    cargo install --locked --path "$ACTION_PATH" --root "$root"
    command install -m 0755 "$root/bin/$(exe)" "$bin"
    rm -rf "$root"
  else
    local triple asset base tmp want got
    triple="$(target_triple)" || die "no afcheck release binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}; set build-from-source: true"
    case "$triple" in
      *windows*) asset="afcheck-${triple}.zip" ;;
      *) asset="afcheck-${triple}.tar.gz" ;;
    esac
    base="${AFCHECK_DOWNLOAD_URL:-https://github.com/${AFCHECK_REPOSITORY:-afcheck/afcheck}/releases/download}/v${version}"
    tmp="$(mktemp -d)"
    AFCHECK_DL_TMP="$tmp"
    trap 'rm -rf "${AFCHECK_DL_TMP:-}"' EXIT
    curl -fsSL --retry 3 -o "$tmp/$asset" "$base/$asset" \
      || die "cannot download ${base}/${asset}: is ${version} an afcheck release? Pin the action to a release tag, set version: to a released version, or set build-from-source: true"
    curl -fsSL --retry 3 -o "$tmp/SHA256SUMS" "$base/SHA256SUMS" \
      || die "cannot download ${base}/SHA256SUMS to verify ${asset}"
    want="$(awk -v a="$asset" '$2 == a || $2 == "*" a { print $1 }' "$tmp/SHA256SUMS" | head -n 1)"
    [ -n "$want" ] || die "SHA256SUMS of ${version} has no entry for ${asset}"
    got="$(sha256_of "$tmp/$asset")"
    [ "$want" = "$got" ] || die "checksum mismatch for ${asset}: expected ${want}, got ${got}"
    case "$asset" in
      *.zip)
        if command -v unzip >/dev/null 2>&1; then
          unzip -q -o "$tmp/$asset" -d "$tmp/x"
        else
          powershell -NoProfile -Command "Expand-Archive -Force -Path '$tmp/$asset' -DestinationPath '$tmp/x'"
        fi ;;
      *) mkdir -p "$tmp/x" && tar -xzf "$tmp/$asset" -C "$tmp/x" ;;
    esac
    local found
    found="$(find "$tmp/x" -type f -name "$(exe)" | head -n 1)"
    [ -n "$found" ] || die "${asset} has no $(exe)"
    command install -m 0755 "$found" "$bin"
    rm -rf "$tmp"
    log "installed release ${version} for ${triple} (sha256 ${got})"
  fi
  local said
  said="$("$bin" --version)"
  case "$said" in
    "afcheck ${version%%+*}"|"afcheck ${version%%+*} "*) ;;
    *) die "installed binary says '${said}', expected afcheck ${version%%+*}" ;;
  esac
  echo "$dir" >> "${GITHUB_PATH:-/dev/null}"
}

run() {
  local bin="${AFCHECK_BIN:-afcheck}"
  local format="${INPUT_FORMAT:-github}"
  local fail_on="${INPUT_FAIL_ON:-error}"
  local sarif="${INPUT_SARIF_FILE:-}"
  AFCHECK_TMP="$(mktemp -d)"
  trap 'rm -rf "${AFCHECK_TMP:-}"' EXIT
  local tmp="$AFCHECK_TMP"

  # Two matchers: errors and warnings, and notes as `notice`.
  echo "::add-matcher::${ACTION_PATH}/.github/afcheck-matcher.json"

  local -a cmd=("$bin" --format "$format" --fail-on "$fail_on" --no-color --report "compact=$tmp/findings.txt")
  [ -n "${INPUT_CONFIG:-}" ] && cmd+=(--config "$INPUT_CONFIG")
  [ -n "$sarif" ] && cmd+=(--sarif-file "$sarif")
  if [ -n "${INPUT_ARGS:-}" ]; then
    # Extra flags are split on whitespace, like a shell would without quotes.
    read -r -a extra <<< "$INPUT_ARGS"
    cmd+=("${extra[@]}")
  fi
  local -a paths
  read -r -a paths <<< "${INPUT_PATH:-.}"
  cmd+=(-- "${paths[@]}")

  local code=0
  "${cmd[@]}" || code=$?

  local count=0
  if [ -f "$tmp/findings.txt" ]; then
    count=$(grep -c . "$tmp/findings.txt" || true)
  fi
  {
    echo "findings=${count}"
    if [ -n "$sarif" ]; then echo "sarif-file=${sarif}"; fi
  } >> "${GITHUB_OUTPUT:-/dev/null}"

  echo "::remove-matcher owner=afcheck::"
  echo "::remove-matcher owner=afcheck-note::"
  if [ "$code" -eq 2 ]; then
    echo "::error title=afcheck::afcheck could not run (usage or configuration error); see the log"
  fi
  return "$code"
}

case "${1:-}" in
  resolve) resolve ;;
  install) install_afcheck ;;
  run) run ;;
  *) echo "usage: $0 resolve|install|run" >&2; exit 2 ;;
esac
