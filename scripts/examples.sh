#!/usr/bin/env bash
# Runs untangle on the example programs in examples/ and prints its findings.
# Installs what is missing (scripts/deps.sh) and builds the tool first if needed.
# Exits 0 when the findings are warnings, as they are by default.
# Usage: scripts/examples.sh [build dir] [extra untangle args...]   (default: build)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
shift || true
"$root/scripts/deps.sh" all
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$root" -B "$build" -G Ninja
fi
# The examples' compile commands come from the same build, so they must be built too.
ninja -C "$build" untangle untangle-examples
echo "untangle -p $build examples/"
"$build/tool/untangle" -p "$build" "$root/examples/" "$@"
