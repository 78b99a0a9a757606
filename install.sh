#!/bin/sh
# Installs the aiorch executable from a GitHub release, after checking its SHA-256.
#
#   curl -fsSL https://raw.githubusercontent.com/aiorch/aiorch/main/install.sh | sh
#   curl -fsSL https://raw.githubusercontent.com/aiorch/aiorch/main/install.sh | sh -s -- --version v1.2.3
#
# Environment (all optional):
#   AIORCH_VERSION           release tag to install, e.g. v1.2.3 (same as --version); default: the latest release
#   AIORCH_INSTALL_DIR       where to put `aiorch`; default ~/.local/bin when writable or creatable, else /usr/local/bin
#   AIORCH_INSTALL_BASE_URL  releases root laid out like GitHub's: <root>/latest/download/<asset> and
#                            <root>/download/<tag>/<asset>; default https://github.com/aiorch/aiorch/releases
#   AIORCH_INSTALL_OS        stands in for `uname -s` (tests, or to fetch another platform's binary)
#   AIORCH_INSTALL_ARCH      stands in for `uname -m`
#
# POSIX sh: runs under dash, bash, busybox ash and zsh's sh mode. Downloads with curl or wget,
# verifies with sha256sum or `shasum -a 256`, and installs nothing unless the sum matches.
set -eu

RELEASES_PAGE="https://github.com/aiorch/aiorch/releases"

say() { printf 'aiorch-install: %s\n' "$*"; }
fail() {
  printf 'aiorch-install: error: %s\n' "$*" >&2
  exit 1
}

usage() {
  cat <<EOF
Usage: install.sh [--version vX.Y.Z]

Downloads the aiorch binary for this machine, verifies its SHA-256 against the
release's SHA256SUMS and installs it as \$AIORCH_INSTALL_DIR/aiorch
(default ~/.local/bin, else /usr/local/bin). See the comments at the top of
this script for the environment variables it reads.
EOF
}

# Maps `uname -s` to the release's OS name; Windows and anything else get a pointer instead.
detect_os() {
  os=${AIORCH_INSTALL_OS:-$(uname -s)}
  case "$os" in
    Linux | linux) echo linux ;;
    Darwin | darwin) echo darwin ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT | windows)
      fail "this script installs on Linux and macOS; on Windows download aiorch-windows-x64.exe from $RELEASES_PAGE and put it on your PATH" ;;
    *)
      fail "no aiorch binary for the operating system '$os' (there are builds for Linux, macOS and Windows); see $RELEASES_PAGE, or build from source: npm ci && npx bun run build" ;;
  esac
}

# Maps `uname -m` to the release's architecture name. An x64 shell under Rosetta on an
# Apple-silicon Mac still gets the native arm64 binary.
detect_arch() {
  arch=${AIORCH_INSTALL_ARCH:-$(uname -m)}
  case "$arch" in
    x86_64 | amd64 | x64)
      if [ -z "${AIORCH_INSTALL_ARCH:-}" ] && [ "$1" = darwin ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
        echo arm64
      else
        echo x64
      fi ;;
    aarch64 | arm64) echo arm64 ;;
    *)
      fail "no aiorch binary for the architecture '$arch' (there are builds for x86_64 and arm64); see $RELEASES_PAGE, or build from source: npm ci && npx bun run build" ;;
  esac
}

# download URL FILE: curl or wget, failing on HTTP errors.
download() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 -o "$2" "$1" || fail "could not download $1 (curl failed); check the version tag and your connection"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1" || fail "could not download $1 (wget failed); check the version tag and your connection"
  else
    fail "neither curl nor wget is installed; install one of them and run this script again"
  fi
}

# sha256_of FILE: the lower-case hex digest.
sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | awk '{print tolower($1)}'
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | awk '{print tolower($1)}'
  else
    fail "cannot verify the download: neither sha256sum nor shasum is installed (install coreutils or perl's shasum); nothing was installed"
  fi
}

# dir_writable DIR: DIR is writable, or does not exist and its nearest existing parent is.
dir_writable() {
  d=$1
  while [ ! -d "$d" ]; do
    [ -e "$d" ] && return 1
    parent=$(dirname "$d")
    [ "$parent" = "$d" ] && return 1
    d=$parent
  done
  [ -w "$d" ]
}

choose_dir() {
  if [ -n "${AIORCH_INSTALL_DIR:-}" ]; then
    dir_writable "$AIORCH_INSTALL_DIR" ||
      fail "cannot write to AIORCH_INSTALL_DIR=$AIORCH_INSTALL_DIR; pick a directory you own or rerun with sudo"
    echo "$AIORCH_INSTALL_DIR"
  elif [ -n "${HOME:-}" ] && dir_writable "$HOME/.local/bin"; then
    echo "$HOME/.local/bin"
  elif dir_writable /usr/local/bin; then
    echo /usr/local/bin
  else
    fail "neither ~/.local/bin nor /usr/local/bin is writable; set AIORCH_INSTALL_DIR to a directory you own, or rerun with sudo"
  fi
}

main() {
  version=${AIORCH_VERSION:-}
  while [ $# -gt 0 ]; do
    case "$1" in
      --version)
        [ $# -ge 2 ] || fail "--version needs a release tag, e.g. --version v1.2.3"
        version=$2
        shift 2 ;;
      --version=*) version=${1#--version=}; shift ;;
      -h | --help) usage; exit 0 ;;
      *) fail "unknown argument '$1'; usage: install.sh [--version vX.Y.Z]" ;;
    esac
  done
  case "$version" in
    "" | latest) version="" ;;
    [0-9]*) version="v$version" ;;
  esac
  case "$version" in
    *[!A-Za-z0-9._-]*) fail "'$version' is not a release tag; use one like v1.2.3 (see $RELEASES_PAGE)" ;;
  esac

  os=$(detect_os)
  arch=$(detect_arch "$os")
  asset="aiorch-$os-$arch"
  root=${AIORCH_INSTALL_BASE_URL:-$RELEASES_PAGE}
  root=${root%/}
  if [ -n "$version" ]; then base="$root/download/$version"; else base="$root/latest/download"; fi
  dir=$(choose_dir)

  tmp=$(mktemp -d 2>/dev/null || mktemp -d -t aiorch)
  trap 'rm -rf "$tmp"' EXIT
  trap 'exit 130' INT TERM

  say "downloading $asset ${version:-(latest)} from $base"
  download "$base/$asset" "$tmp/$asset"
  download "$base/SHA256SUMS" "$tmp/SHA256SUMS"

  expected=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print tolower($1); exit }' "$tmp/SHA256SUMS")
  [ -n "$expected" ] || fail "SHA256SUMS of this release has no line for $asset; nothing was installed (see $RELEASES_PAGE)"
  actual=$(sha256_of "$tmp/$asset")
  [ -n "$actual" ] || exit 1
  if [ "$actual" != "$expected" ]; then
    fail "checksum mismatch for $asset: expected $expected, got $actual; the download is corrupted or was tampered with, so nothing was installed. Try again, or download it by hand from $RELEASES_PAGE"
  fi

  mkdir -p "$dir" || fail "could not create $dir; set AIORCH_INSTALL_DIR to a directory you own"
  # Copy next to the target, then rename: a running aiorch is never left half-written.
  cp "$tmp/$asset" "$dir/.aiorch.$$" || fail "could not write to $dir; set AIORCH_INSTALL_DIR to a directory you own, or rerun with sudo"
  chmod 755 "$dir/.aiorch.$$"
  mv -f "$dir/.aiorch.$$" "$dir/aiorch"

  installed=$("$dir/aiorch" --version 2>/dev/null || true)
  say "installed aiorch ${installed:-${version:-(latest)}} to $dir/aiorch"
  if [ -z "$installed" ]; then
    say "warning: $dir/aiorch did not start; check that this machine matches $asset (Linux builds need glibc)"
  fi
  case ":${PATH:-}:" in
    *":$dir:"*) ;;
    *) say "note: $dir is not on your PATH; add it, e.g. echo 'export PATH=\"$dir:\$PATH\"' >> ~/.profile" ;;
  esac
}

main "$@"
