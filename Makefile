# The two commands of the README, and a few more. CMake does the real work.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps build demo webapp test fuzz bench load emulator abi-baseline clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCALEKIT_BUILD_TESTS=OFF >/dev/null
	cmake --build build/release -j $(JOBS)

# The quickstart: against the embedded emulator, or against a real environment
# when SCALEKIT_ENVIRONMENT_URL, SCALEKIT_CLIENT_ID and SCALEKIT_CLIENT_SECRET are set.
demo: build
	build/release/quickstart
	@printf '%s\n' '' \
	  'The same from a shell, with the scalekit command line (build/release/cli/scalekit). The' \
	  'quickstart'"'"'s emulator stopped with it; start one that keeps its data (skip the first two' \
	  'lines against a real environment, whose SCALEKIT_* variables you have set):' \
	  '  build/release/cli/scalekit emulator --port 8787 --data demo.sqlite &   # prints the client id and secret' \
	  '  export SCALEKIT_ENVIRONMENT_URL=http://127.0.0.1:8787 SCALEKIT_CLIENT_ID=skc_... SCALEKIT_CLIENT_SECRET=...' \
	  '  alias scalekit=$$PWD/build/release/cli/scalekit' \
	  '  scalekit organizations create Acme --external-id acme' \
	  '  scalekit organizations list' \
	  '  scalekit organizations list --all --output jsonl | jq -r .display_name' \
	  '  scalekit login --no-browser     # sign in on the hosted login page, see the claims' \
	  '  scalekit --help                 # everything else; man build/release/cli/scalekit.1'

# The example web app (examples/webapp) with a fresh emulator; prints the URL to open.
webapp: build
	examples/webapp/run.sh build/release

test: deps
	scripts/test.sh

# Longer fuzzing: FUZZ_SECONDS per target (default 300).
fuzz: deps
	cmake -S . -B build/fuzz -DCMAKE_C_COMPILER=clang -DSCALEKIT_FUZZ=ON -DSCALEKIT_BUILD_BENCH=OFF \
	  -DSCALEKIT_FUZZ_SECONDS=$${FUZZ_SECONDS:-300} >/dev/null
	cmake --build build/fuzz -j $(JOBS) --target fuzzers
	cd build/fuzz && ctest --output-on-failure -L fuzz --timeout 100000

bench: build
	@for b in build/release/bench/bench_*; do [ -x "$$b" ] && "$$b"; done

# wrk against the emulator on loopback: 64 connections for 20 s (GET /keys and an
# authenticated API GET), then 512 connections for 10 s; fails on errors.
load: build
	bench/load.sh build/release/scalekit-emulator

# Move the ABI baseline on purpose (docs/abi.md): from a gcc RelWithDebInfo build.
abi-baseline: deps
	cmake -S . -B build/gcc -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build/gcc -j $(JOBS) --target scalekit
	scripts/abi.sh baseline build/gcc

emulator: build
	build/release/scalekit-emulator

clean:
	rm -rf build
