#!/usr/bin/env bash
# What each folder of the built-in pack costs end to end. Runs `convaudit run` on the bench
# logs once with no rules at all, once per folder of rules/builtin with only that folder's rules,
# and once with the whole pack: a layered pack that disable{}s the other built-in rules does the
# selecting, so the engine, the input and the outputs are the same in every run. The time a
# folder adds over "none" includes what the folders share (message views, metadata tables),
# which is why the additions sum to more than the whole pack costs.
#
#   bench/pack_cost.sh               20000 sessions, one thread
#   bench/pack_cost.sh 2000          another size
#   THREADS=2 bench/pack_cost.sh     more threads
#   CONVAUDIT_BIN=build/dev/cli/convaudit bench/pack_cost.sh   an existing binary instead of a release build
set -euo pipefail
cd "$(dirname "$0")/.."
sessions=${1:-20000}
threads=${THREADS:-1}
# shellcheck source=bench/setup.sh
. bench/setup.sh
log=$(bench_logs "$sessions")
packs="$work/pack-cost"
rm -rf "$packs" "$work/keys-pack-cost"
"$bin" keygen --out "$work/keys-pack-cost" >/dev/null

# Rule ids and folders of the active built-in rules ("ID ... SOURCE builtin/<folder>/x.lua:N").
"$bin" rules list | awk 'NR > 1 { split($NF, p, "/"); print $1, p[2] }' >"$work/pack-cost-ids"
folders=$(awk '{ print $2 }' "$work/pack-cost-ids" | sort -u)

# A pack folder that disables every built-in rule not in folder $2 ("none": all of them).
make_pack() {
  mkdir -p "$packs/$1"
  {
    printf 'disable{\n'
    awk -v keep="$2" '$2 != keep { printf "  \"%s\",\n", $1 }' "$work/pack-cost-ids"
    printf '}\n'
  } >"$packs/$1/disable.lua"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "input: $log ($(stat -c %s "$log") bytes), threads: $threads"
printf '%-12s %9s %9s %16s\n' rules wall_s user_s redact+rules_ms
run() {  # name, then extra arguments for convaudit run
  local name=$1
  shift
  rm -rf "$work/out-pack-cost"
  /usr/bin/time -f '%e %U' -o "$work/time-pack-cost" \
    "$bin" run "$log" --out "$work/out-pack-cost" --keys "$work/keys-pack-cost" \
    --threads "$threads" --timings "$@" >/dev/null 2>"$work/stages-pack-cost" || true
  read -r wall user <"$work/time-pack-cost"
  local stage
  stage=$(sed -n 's/^timing: redact+rules \([0-9]*\) ms$/\1/p' "$work/stages-pack-cost")
  printf '%-12s %9s %9s %16s\n' "$name" "$wall" "$user" "${stage:-?}"
}
make_pack none ""
run none --rules "$packs/none"
for folder in $folders; do
  make_pack "$folder" "$folder"
  run "$folder" --rules "$packs/$folder"
done
run all
