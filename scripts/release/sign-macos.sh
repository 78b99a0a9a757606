#!/bin/sh
# Run on macOS after `bun run build:all`: gives the cross-compiled darwin binaries a fresh
# ad-hoc signature (bun's own one can be invalid, and Apple silicon kills such a binary at
# launch), verifies it, rewrites SHA256SUMS for the changed bytes, and starts the native one.
#   sh scripts/release/sign-macos.sh [DIST_DIR]   (default dist)
set -eu
dist=${1:-dist}
[ "$(uname -s)" = Darwin ] || { echo "sign-macos.sh needs macOS (codesign); run it on a macOS runner" >&2; exit 2; }
[ -f "$dist/SHA256SUMS" ] || { echo "no $dist/SHA256SUMS; run \`bun run build:all\` first" >&2; exit 2; }

for binary in "$dist"/aiorch-darwin-*; do
  codesign --remove-signature "$binary" 2>/dev/null || true
  codesign --sign - --force "$binary"
  codesign --verify --strict --verbose=2 "$binary"
done

# Same files, same order as build.ts wrote them.
(cd "$dist" && awk '{ print $2 }' SHA256SUMS | xargs shasum -a 256 > SHA256SUMS.new && mv SHA256SUMS.new SHA256SUMS)

case "$(uname -m)" in arm64) native=arm64 ;; *) native=x64 ;; esac
"$dist/aiorch-darwin-$native" --version
