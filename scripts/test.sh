#!/bin/sh
# What `make test` runs: every test under ASan+UBSan (clang), the unit tests and
# the install test in a gcc build, the concurrency tests under ThreadSanitizer,
# and each fuzzer for a few seconds.
set -eu
jobs=$(nproc 2>/dev/null || echo 2)
fuzz_seconds=${FUZZ_SECONDS:-5}

step() { printf '\n==== %s\n' "$*"; }

step "clang, AddressSanitizer + UndefinedBehaviorSanitizer: every test"
cmake -S . -B build/asan -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DSCALEKIT_SANITIZE=ON -DSCALEKIT_BUILD_BENCH=OFF >/dev/null
cmake --build build/asan -j "$jobs"
# Every webhook delivery a suite checks is logged here; the census below reads it.
rm -f build/asan/events.jsonl
(cd build/asan && SCALEKIT_TEST_EVENT_LOG="$PWD/events.jsonl" ctest --output-on-failure -j "$jobs")

step "the event census: each of the API's 32 webhook event types delivered and decoded without loss"
build/asan/tests/event_census build/asan/events.jsonl

step "gcc, -O2: unit tests and the install test"
cmake -S . -B build/gcc -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/gcc -j "$jobs"
(cd build/gcc && ctest --output-on-failure -j "$jobs" -L unit)

step "abidiff: the gcc build's ABI against abi/libscalekit.abi (docs/abi.md)"
scripts/abi.sh check build/gcc

step "clang, ThreadSanitizer: the concurrency tests"
cmake -S . -B build/tsan -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DSCALEKIT_TSAN=ON -DSCALEKIT_BUILD_BENCH=OFF >/dev/null
cmake --build build/tsan -j "$jobs" --target thread_tests
(cd build/tsan && ctest --output-on-failure -L threads)

step "clang, libFuzzer: each target for ${fuzz_seconds} s"
cmake -S . -B build/fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DSCALEKIT_FUZZ=ON \
  -DSCALEKIT_BUILD_BENCH=OFF -DSCALEKIT_FUZZ_SECONDS="$fuzz_seconds" >/dev/null
cmake --build build/fuzz -j "$jobs" --target fuzzers
(cd build/fuzz && ctest --output-on-failure -L fuzz)
