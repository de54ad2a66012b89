#!/bin/bash
# The test command: installs the dependencies, builds with -Werror and runs
# every test (unit tests and integration tests with real runc and podman).
# Run as root: the integration tests start containers.
set -euo pipefail
cd "$(dirname "$0")/.."
sh .ci/install-deps
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOH_WERROR=ON
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure
