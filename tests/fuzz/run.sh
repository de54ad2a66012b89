#!/bin/bash
# Builds the libFuzzer target with clang (ASan + UBSan) in its own build
# directory and fuzzes for a while; exits non-zero on any finding (crash,
# sanitizer report, leak, failed property, timeout, memory limit).
#
#   tests/fuzz/run.sh [SECONDS]      default 60; OH_FUZZ_BUILD sets the build dir
#
# The corpus grows in $OH_FUZZ_BUILD/corpus and is kept between local runs;
# the seeds are the captured configs and the bundled seccomp profiles.  A
# finding is written to $OH_FUZZ_BUILD/artifacts/; replay it with
#   $OH_FUZZ_BUILD/fuzz_config ARTIFACT
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}
build=${OH_FUZZ_BUILD:-build-fuzz}

CC=clang cmake -S . -B "$build" -DOH_FUZZ=ON -DOH_TESTS=OFF \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo -DOH_WERROR=ON >/dev/null
cmake --build "$build" --target fuzz_config -j"$(nproc)" >/dev/null

# Seeds under unique names (podman/default.json and the default profile
# would collide).
rm -rf "$build/seeds"
mkdir -p "$build/seeds" "$build/corpus" "$build/artifacts"
for f in tests/fixtures/*/*.json seccomp-profiles/*.json; do
	cp "$f" "$build/seeds/$(printf '%s' "$f" | tr / _)"
done

log=$build/fuzz.log
status=0
# -timeout: one input taking seconds is a finding (quadratic paths); the
# biggest seed takes milliseconds.  Sanitizer options make a report fatal
# and keep leak checking on, as in the ASan test build.
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
"$build/fuzz_config" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-max_len=65536 -dict=tests/fuzz/config.dict -print_final_stats=1 \
	-artifact_prefix="$build/artifacts/" \
	"$build/corpus" "$build/seeds" >"$log" 2>&1 || status=$?

runs=$(awk '/stat::number_of_executed_units/ { print $NF }' "$log")
corpus=$(find "$build/corpus" -type f | wc -l)
if [ "$status" -ne 0 ]; then
	tail -n 60 "$log" >&2
	echo "fuzz: FINDING after ${runs:-?} executions (exit $status); see $log and $build/artifacts/" >&2
	exit 1
fi
echo "fuzz: no finding in ${secs}s: ${runs:-?} executions, corpus $corpus inputs"
