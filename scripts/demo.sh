#!/usr/bin/env bash
# The main job on the bundled examples: install packages, build, audit examples/ with the
# built-in rule pack and a demo key folder, verify the signed report, print its summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
export CONVAUDIT_HOME=${CONVAUDIT_HOME:-$PWD/out/home}
build/release/cli/convaudit run examples/conversations.jsonl --out out/examples
build/release/cli/convaudit verify out/examples/report.dsse.json \
  --pub "$CONVAUDIT_HOME/demo-keys/signing.pub" --inputs examples/conversations.jsonl
echo "Read the report: out/examples/report.md"
