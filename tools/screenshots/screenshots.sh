#!/usr/bin/env bash
# Rewrites docs/screenshots/ from the demo's runs: every panel of the minilm-q run, the runs page, the comparison.
# Needs chromium + chromium-driver (Debian packages). Usage, from the repository root:
#   LOUPE_HOME=/tmp/demo-home ./loupe demo --no-serve     # once, if there are no demo runs yet
#   tools/screenshots/screenshots.sh [STORE]              # STORE: default $LOUPE_HOME/loupe.db or ~/.loupe/loupe.db
set -euo pipefail
cd "$(dirname "$0")/../.."
store="${1:-${LOUPE_HOME:-$HOME/.loupe}/loupe.db}"
mvn -B -q test -pl loupe-cli -am -Dtest=DocScreenshots -Dsurefire.failIfNoSpecifiedTests=false \
  -Dloupe.screenshots.store="$(realpath "$store")" -Dloupe.screenshots.out="$PWD/docs/screenshots"
ls -la docs/screenshots
