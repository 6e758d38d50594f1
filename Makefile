# The README's two commands:
#   make demo  — install what is needed, build, and run the main job on embedded synthetic data
#   make test  — install what is needed, build, and run every test this machine can run
BUILD ?= build
SAN_BUILD ?= build-sanitize
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release

.PHONY: setup build test test-sanitize demo clean bench-speed bench-rd bench-fuzz

setup:
	bash scripts/setup

build: setup
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory test-sanitize

# The library and its tests again, built with ASan + UBSan (part of `make test`; configures no
# tests, with a warning, where the compiler cannot build with sanitizers). -O1 -g1: ASan's advice,
# and line tables for the reports; why and what it saves: docs/reliability.md, "Sanitizers".
test-sanitize: setup
	cmake -S . -B $(SAN_BUILD) -DSEISINR_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
	cmake --build $(SAN_BUILD) -j $(JOBS)
	cd $(SAN_BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	./$(BUILD)/seisinr demo --out demo-out

# Benchmarks (never part of `make test`); each writes its tables under bench/results/ and docs/.
bench-speed: build
	/usr/bin/python3 bench/train_speed.py

bench-rd: build
	/usr/bin/python3 bench/rate_distortion.py

# libFuzzer, 10 minutes per target (clang; results in bench/results/fuzz/ and docs/reliability.md).
bench-fuzz: setup
	bash bench/fuzz.sh 600

clean:
	rm -rf $(BUILD) $(SAN_BUILD) build-fuzz demo-out
