# The README's two commands:
#   make demo  — install what is needed, build, and run the main job on embedded synthetic data
#   make test  — install what is needed, build, and run every test this machine can run
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release

.PHONY: setup build test demo clean

setup:
	bash scripts/setup

build: setup
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	./$(BUILD)/seisinr demo --out demo-out

clean:
	rm -rf $(BUILD) demo-out
