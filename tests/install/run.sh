#!/bin/bash
# An outside project against an installed seisinr: install the build tree into a temporary
# prefix, configure and build tests/install with only find_package(seisinr), and check that its
# decode of a trained map equals `seisinr decode`'s bit for bit.
# Usage: run.sh BUILD_DIR SOURCE_DIR PYTHON
set -euo pipefail
build=$1 src=$2 py=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" > "$tmp/install.log"
cmake -S "$src/tests/install" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_BUILD_TYPE=Release > "$tmp/configure.log"
cmake --build "$tmp/consumer" > "$tmp/build.log"
cli="$tmp/prefix/bin/seisinr"
"$cli" synth --out "$tmp/d" --count 4 --size 16x20 --families FlatVel > /dev/null
"$cli" train --data "$tmp/d" --out "$tmp/run" --preset tiny --epochs 3 --holdout 0 --threads 1 > /dev/null 2>&1
"$cli" decode --model "$tmp/run/model.sinr" --maps 2 --out "$tmp/cli.npy" > /dev/null
"$tmp/consumer/consumer" "$tmp/run/model.sinr" 2 "$tmp/api.npy"
"$py" - "$tmp/cli.npy" "$tmp/api.npy" <<'PY'
import sys
import numpy as np
a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
assert a.shape == b.shape == (1, 1, 16, 20), (a.shape, b.shape)
assert np.array_equal(a, b), "the installed library decodes differently from seisinr decode"
print("installed seisinr: outside project decodes map 2 identically to `seisinr decode`", a.shape)
PY
# A bad row is an exception with the file's name, exit 1.
if "$tmp/consumer/consumer" "$tmp/run/model.sinr" 99 "$tmp/x.npy" 2> "$tmp/err"; then echo "row 99 accepted"; exit 1; fi
grep -q "model.sinr: no trained map 99" "$tmp/err" || { cat "$tmp/err"; exit 1; }
