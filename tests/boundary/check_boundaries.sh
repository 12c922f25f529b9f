#!/usr/bin/env bash
# Checks the ownership rules of STYLE.md on a source tree (default: the repository):
#   <lua.hpp>/<lua.h>/<lauxlib.h>/<lualib.h> only in engine/rulehost/internal/lua_vm*
#   <openssl/...> only in engine/crypto, <re2/...> only in engine/match, <zlib.h> only in
#   engine/ingest, <CLI/...> only in cli; tests/<same path> count as the component.
#   No file includes another component's internal/ headers.
#   Public headers include no third-party header but nlohmann_json and tl::expected.
# Prints every violation as "file:line: rule" and exits 1 when there is any.
set -u
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root" || exit 2
violations=0
report() { echo "$1: $2"; violations=$((violations + 1)); }

sources=$(find engine redaction reports cli tests bench -type f \( -name '*.h' -o -name '*.cpp' \) \
  -not -path '*/build/*' 2>/dev/null | sort)

# component folder of a path (tests/x mirrors x)
component_of() {
  local p=${1#tests/}
  case $p in
    engine/*) echo "$p" | cut -d/ -f1-2 ;;
    *) echo "$p" | cut -d/ -f1 ;;
  esac
}

check_owner() {  # regex owner_glob rule_text
  local regex=$1 owner=$2 text=$3
  grep -nE "$regex" $sources 2>/dev/null | while IFS=: read -r file line _; do
    local rel=${file#tests/}
    case $rel in
      $owner) ;;
      *) echo "$file:$line: $text" ;;
    esac
  done
}

out=$(
  check_owner '^\s*#\s*include\s*[<"](lua5\.4/)?(lua\.hpp|lua\.h|lauxlib\.h|lualib\.h)[>"]' \
    'engine/rulehost/internal/lua_vm*' 'Lua C API outside engine/rulehost/internal/lua_vm*'
  check_owner '^\s*#\s*include\s*<openssl/' 'engine/crypto/*' 'OpenSSL outside engine/crypto'
  check_owner '^\s*#\s*include\s*<re2/' 'engine/match/*' 'RE2 outside engine/match'
  check_owner '^\s*#\s*include\s*<zlib\.h>' 'engine/ingest/*' 'zlib outside engine/ingest'
  check_owner '^\s*#\s*include\s*<CLI/' 'cli/*' 'CLI11 outside cli'
  grep -nE '^\s*#\s*include\s*"[^"]*/internal/' $sources 2>/dev/null | while IFS=: read -r file line rest; do
    inc=$(echo "$rest" | sed -E 's/.*"([^"]*)".*/\1/')
    target=$(component_of "${inc%%/internal/*}/x")
    own=$(component_of "$file")
    if [ "$target" != "$own" ]; then
      echo "$file:$line: includes another component's internal header $inc"
    fi
  done
  for header in $(echo "$sources" | grep -E '\.h$' | grep -v '/internal/' | grep -v '^tests/'); do
    grep -nE '^\s*#\s*include\s*<[^>]*[/.][^>]*>' "$header" | grep -vE '<(nlohmann|tl|CLI)/' |
      grep -vE '<[a-z_]+\.h>' | while IFS=: read -r line rest; do
        echo "$header:$line: third-party header in a public header: $rest"
      done
  done
)
if [ -n "$out" ]; then
  echo "$out"
  exit 1
fi
echo "boundaries ok"
