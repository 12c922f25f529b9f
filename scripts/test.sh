#!/usr/bin/env bash
# Builds and runs the whole test suite (unit, end-to-end, boundary, built-in rule examples).
#   scripts/test.sh          GCC, RelWithDebInfo, warnings as errors
#   scripts/test.sh --asan   Clang with AddressSanitizer + UndefinedBehaviorSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."
preset=dev
[ "${1:-}" = "--asan" ] && preset=asan
scripts/install-deps.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset"
