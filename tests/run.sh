#!/bin/bash
# The test command: installs the dependencies, builds with -Werror and runs
# every test (unit tests and integration tests with real runc and podman,
# valgrind over check and fix), then the whole suite again in an ASan+UBSan
# build, then a short fuzzing run.  Prints how long each stage took.
# Run as root: the integration tests start containers.
#
#   OH_FUZZ_SECONDS=N tests/run.sh    fuzz for N seconds (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."

timings=()
stage() {
	local name=$1 t0=$SECONDS
	shift
	echo "=== $name"
	"$@"
	timings+=("$(printf '%-28s %4d s' "$name" $((SECONDS - t0)))")
}

build() {
	cmake -S . -B "$1" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOH_WERROR=ON "${@:2}"
	cmake --build "$1" -j"$(nproc)"
}

stage "install dependencies" sh .ci/install-deps
stage "build" build build
stage "tests" ctest --test-dir build --output-on-failure
# A sanitizer report aborts the program; a leak fails it at exit.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
stage "build (ASan+UBSan)" build build-asan -DOH_SANITIZE=ON
stage "tests (ASan+UBSan)" ctest --test-dir build-asan --output-on-failure
stage "fuzz" tests/fuzz/run.sh "${OH_FUZZ_SECONDS:-60}"

echo "=== all passed; time per stage:"
printf '  %s\n' "${timings[@]}"
