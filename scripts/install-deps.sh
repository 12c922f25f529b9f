#!/usr/bin/env bash
# Installs the Debian 12 packages convaudit builds and tests with. Does nothing when they are all
# present already. Needs root (or sudo).
set -euo pipefail
packages=(build-essential cmake ninja-build pkg-config git
  liblua5.4-dev libre2-dev nlohmann-json3-dev libssl-dev zlib1g-dev
  libexpected-dev libcli11-dev libjemalloc-dev libsimdjson-dev catch2 jq openssl python3 chromium
  clang libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
