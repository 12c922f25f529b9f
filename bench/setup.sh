# Sourced by the end-to-end bench scripts (bench/run.sh, bench/pack_cost.sh): sets `work`, the
# folder for generated logs and outputs (BENCH_DIR, default /tmp/convaudit-bench), and `bin`,
# the binary to measure (CONVAUDIT_BIN, else a release build made here); and
# `bench_logs SESSIONS`, which prints the path of the generated logs of that size, generating
# them (deterministically) the first time.
work=${BENCH_DIR:-/tmp/convaudit-bench}
mkdir -p "$work"
bin=${CONVAUDIT_BIN:-}
if [ -z "$bin" ]; then
  cmake --preset release >/dev/null
  cmake --build --preset release >/dev/null
  bin=build/release/cli/convaudit
fi

bench_logs() {
  local log="$work/logs-$1.jsonl"
  [ -f "$log" ] || python3 bench/gen_logs.py --sessions "$1" --out "$log"
  echo "$log"
}
