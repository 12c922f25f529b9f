#!/usr/bin/env bash
# Builds tiny trees with one violation each and expects check_boundaries.sh to flag every one,
# and a clean tree to pass.
set -u
check=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
make_tree() {
  rm -rf "$tmp/t"
  mkdir -p "$tmp/t/engine/crypto" "$tmp/t/engine/match" "$tmp/t/engine/rulehost/internal" \
    "$tmp/t/engine/ingest/internal" "$tmp/t/redaction" "$tmp/t/cli"
  echo '#include <openssl/evp.h>' > "$tmp/t/engine/crypto/sha256.cpp"
  echo '#include <lua.hpp>' > "$tmp/t/engine/rulehost/internal/lua_vm.cpp"
  echo '#include <re2/re2.h>' > "$tmp/t/engine/match/regex.cpp"
  echo '#include "engine/ingest/internal/x.h"' > "$tmp/t/engine/ingest/reader.cpp"
}
expect() {  # name expected_exit
  bash "$check" "$tmp/t" > "$tmp/out" 2>&1
  local got=$?
  if [ "$got" != "$2" ]; then
    echo "FAIL: $1: exit $got, expected $2"; cat "$tmp/out"; status=1
  else
    echo "ok: $1"
  fi
}
make_tree; expect "clean tree passes" 0
make_tree; echo '#include <openssl/sha.h>' > "$tmp/t/redaction/x.cpp"; expect "openssl outside crypto" 1
make_tree; echo '#include <lua.hpp>' > "$tmp/t/engine/rulehost/runner.cpp"; expect "lua outside lua_vm" 1
make_tree; echo '#include <re2/set.h>' > "$tmp/t/redaction/y.cpp"; expect "re2 outside match" 1
make_tree; echo '#include "engine/ingest/internal/x.h"' > "$tmp/t/redaction/z.cpp"; expect "foreign internal" 1
make_tree; echo '#include <re2/re2.h>' > "$tmp/t/engine/match/pattern_set.h"; expect "re2 in a public header" 1
exit $status
