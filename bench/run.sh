#!/usr/bin/env bash
# End-to-end benchmark: builds the release binary, generates logs at two sizes ten times apart,
# and runs `convaudit run` on each with redaction and the full built-in pack on.
# Prints input MB, wall seconds, MB/s, conversations/s and peak RSS for each size.
#
#   bench/run.sh                   10000 and 100000 sessions (about 25 MB and 250 MB)
#   bench/run.sh 2000              2000 and 20000 sessions
#   THREADS=1 bench/run.sh         single-threaded
#   CONVAUDIT_BIN=build/dev/cli/convaudit bench/run.sh   an existing binary instead of a release build
set -euo pipefail
cd "$(dirname "$0")/.."
small=${1:-10000}
large=$((small * 10))
threads=${THREADS:-0}
# shellcheck source=bench/setup.sh
. bench/setup.sh
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "threads: ${threads} (0 = all cores)"
cores=$(nproc)  # cores the run can use: MB/s/core divides by them
if [ "$threads" -gt 0 ] && [ "$threads" -lt "$cores" ]; then cores=$threads; fi
printf '%-10s %10s %10s %9s %10s %10s %12s %12s\n' sessions messages input_MB wall_s MB/s MB/s/core conv/s peak_RSS_MB
for sessions in "$small" "$large"; do
  log=$(bench_logs "$sessions")
  rm -rf "$work/out-$sessions" "$work/keys"
  "$bin" keygen --out "$work/keys" >/dev/null
  /usr/bin/time -f '%e %M' -o "$work/time-$sessions" \
    "$bin" run "$log" --out "$work/out-$sessions" --keys "$work/keys" --threads "$threads" \
    --timings >/dev/null 2>"$work/stages-$sessions"
  read -r wall rss_kb <"$work/time-$sessions"
  bytes=$(stat -c %s "$log")
  messages=$(wc -l <"$log")
  awk -v s="$sessions" -v m="$messages" -v b="$bytes" -v w="$wall" -v r="$rss_kb" -v c="$cores" 'BEGIN {
    mb = b / 1e6; if (w < 0.01) w = 0.01;
    printf "%-10d %10d %10.1f %9.2f %10.1f %10.1f %12.0f %12.1f\n", s, m, mb, w, mb / w, mb / w / c, s / w, r / 1024 }'
done
for sessions in "$small" "$large"; do
  echo "stages at $sessions sessions: $(sed 's/^timing: //' "$work/stages-$sessions" | paste -sd ';' -)"
done
