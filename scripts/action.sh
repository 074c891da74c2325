#!/usr/bin/env bash
# The GitHub Action's logic, kept here so it can be tested locally:
#   scripts/action.sh install   installs afcheck (release binary, else cargo install)
#   scripts/action.sh run       registers the problem matcher, runs afcheck,
#                               writes the `findings` and `sarif-file` outputs
# Inputs come from INPUT_* variables (see action.yml); outputs go to
# $GITHUB_OUTPUT. AFCHECK_BIN overrides the binary to run (tests use it).
set -euo pipefail

ACTION_PATH="${AFCHECK_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"

log() { echo "afcheck-action: $*" >&2; }

target_triple() {
  local os arch
  case "${RUNNER_OS:-$(uname -s)}" in
    Linux) os="unknown-linux-gnu" ;;
    macOS|Darwin) os="apple-darwin" ;;
    Windows|MINGW*|MSYS*) os="pc-windows-msvc" ;;
    *) return 1 ;;
  esac
  case "${RUNNER_ARCH:-$(uname -m)}" in
    X64|x86_64|amd64) arch="x86_64" ;;
    ARM64|aarch64|arm64) arch="aarch64" ;;
    *) return 1 ;;
  esac
  echo "${arch}-${os}"
}

install() {
  local version="${AFCHECK_VERSION:-source}"
  if [ -n "${AFCHECK_BIN:-}" ] && [ -x "${AFCHECK_BIN}" ]; then
    log "using ${AFCHECK_BIN}"
    return 0
  fi
  if [ "$version" = "source" ] && [ -x "$HOME/.cargo/bin/afcheck" ]; then
    log "afcheck restored from the cache: $("$HOME/.cargo/bin/afcheck" --version)"
    echo "$HOME/.cargo/bin" >> "${GITHUB_PATH:-/dev/null}"
    return 0
  fi
  if [ "$version" != "source" ]; then
    local triple url dest
    if triple="$(target_triple)"; then
      url="https://github.com/${AFCHECK_REPOSITORY:-afcheck/afcheck}/releases/download/v${version#v}/afcheck-${triple}.tar.gz"
      dest="${RUNNER_TEMP:-/tmp}/afcheck-bin"
      mkdir -p "$dest"
      if curl -fsSL "$url" -o "$dest/afcheck.tar.gz" 2>/dev/null && tar -xzf "$dest/afcheck.tar.gz" -C "$dest"; then
        mkdir -p "$HOME/.cargo/bin"
        install -m 0755 "$dest/afcheck" "$HOME/.cargo/bin/afcheck"
        log "installed release ${version} for ${triple}"
        echo "$HOME/.cargo/bin" >> "${GITHUB_PATH:-/dev/null}"
        return 0
      fi
      log "no release binary for ${version} on ${triple}; building from source"
    fi
  fi
  cargo install --locked --path "$ACTION_PATH" --root "$HOME/.cargo"
  echo "$HOME/.cargo/bin" >> "${GITHUB_PATH:-/dev/null}"
}

run() {
  local bin="${AFCHECK_BIN:-afcheck}"
  local format="${INPUT_FORMAT:-github}"
  local fail_on="${INPUT_FAIL_ON:-error}"
  local sarif="${INPUT_SARIF_FILE:-}"
  AFCHECK_TMP="$(mktemp -d)"
  trap 'rm -rf "${AFCHECK_TMP:-}"' EXIT
  local tmp="$AFCHECK_TMP"

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
  if [ "$code" -eq 2 ]; then
    echo "::error title=afcheck::afcheck could not run (usage or configuration error); see the log"
  fi
  return "$code"
}

case "${1:-}" in
  install) install ;;
  run) run ;;
  *) echo "usage: $0 install|run" >&2; exit 2 ;;
esac
