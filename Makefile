# The README's two commands:
#   make demo  — install what is needed, build, and run the main job on embedded synthetic data
#   make test  — install what is needed, build, and run every test this machine can run
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release

.PHONY: setup build test demo clean bench-speed bench-rd

setup:
	bash scripts/setup

build: setup
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	./$(BUILD)/seisinr demo --out demo-out

# Benchmarks (never part of `make test`); each writes its tables under bench/results/ and docs/.
bench-speed: build
	/usr/bin/python3 bench/train_speed.py

bench-rd: build
	/usr/bin/python3 bench/rate_distortion.py

clean:
	rm -rf $(BUILD) demo-out
