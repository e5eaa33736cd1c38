#!/usr/bin/env bash
# Fuzzing (issue 24): builds the libFuzzer targets in fuzz/ with clang 14 (ASan + UBSan) and
# runs each for SECONDS over its committed seed corpus (fuzz/corpus/<target>), new inputs going
# to a scratch copy. A crash, a leak, a sanitizer report or an input running past the
# per-input timeout stops that target; its input lands in the output directory (print it with
# xxd, add it to the corpus and a regression test). Prints, per target, runs, coverage and
# the verdict.
#   bench/fuzz.sh [SECONDS=60] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
command -v clang++-14 >/dev/null && [ -e /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a ] ||
  apt-get install -y -qq clang-14 libfuzzer-14-dev >/dev/null
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz >/dev/null
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json_body router headers altcha ical backup_reader config)
out=${FUZZ_OUT:-$(mktemp -d)}
echo "machine: $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo unknown), ${secs} s per target, artefacts in $out"
status=0
for t in "${targets[@]}"; do
  mkdir -p "$out/$t/corpus"
  cp -r "fuzz/corpus/$t/." "$out/$t/corpus/" 2>/dev/null || true
  log="$out/$t/log"
  if "build/fuzz/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$out/$t/" -print_final_stats=1 "$out/$t/corpus" >"$log" 2>&1; then
    verdict=ok
  else
    verdict="FOUND ($(ls "$out/$t" | grep -E '^(crash|leak|timeout|oom)-' | head -1))"
    status=1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  printf 'fuzz %-14s %10s runs  cov %6s  %s\n' "$t" "${runs:-?}" "${cov:-?}" "$verdict"
done
exit $status
