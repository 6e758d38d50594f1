#!/bin/bash
# An outside project against an installed seisinr: install the build tree into a temporary
# prefix, build tests/install twice — with only find_package(seisinr), and with only
# `pkg-config --cflags --libs seisinr` — and check that each one's decode of a trained map equals
# `seisinr decode`'s bit for bit.
# Usage: run.sh BUILD_DIR SOURCE_DIR PYTHON
set -euo pipefail
build=$1 src=$2 py=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" > "$tmp/install.log"
cmake -S "$src/tests/install" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_BUILD_TYPE=Release > "$tmp/configure.log"
cmake --build "$tmp/consumer" > "$tmp/build.log"
# shellcheck disable=SC2046  # pkg-config's words are meant to split
${CXX:-c++} -O1 -o "$tmp/pc_consumer" "$src/tests/install/main.cpp" $(PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig" pkg-config --cflags --libs seisinr)
cli="$tmp/prefix/bin/seisinr"
"$cli" synth --out "$tmp/d" --count 4 --size 16x20 --families FlatVel > /dev/null
"$cli" train --data "$tmp/d" --out "$tmp/run" --preset tiny --epochs 3 --holdout 0 --threads 1 > /dev/null 2>&1
"$cli" decode --model "$tmp/run/model.sinr" --maps 2 --out "$tmp/cli.npy" > /dev/null
"$tmp/consumer/consumer" "$tmp/run/model.sinr" 2 "$tmp/api.npy"
"$tmp/pc_consumer" "$tmp/run/model.sinr" 2 "$tmp/pc.npy"
"$py" - "$tmp/cli.npy" "$tmp/api.npy" "$tmp/pc.npy" <<'PY'
import sys
import numpy as np
a = np.load(sys.argv[1])
for name, path in (("find_package", sys.argv[2]), ("pkg-config", sys.argv[3])):
    b = np.load(path)
    assert a.shape == b.shape == (1, 1, 16, 20), (a.shape, b.shape)
    assert np.array_equal(a, b), f"the installed library ({name}) decodes differently from seisinr decode"
print("installed seisinr: outside projects (find_package, pkg-config) decode map 2 identically to `seisinr decode`", a.shape)
PY
# compress, decompress and evaluate through the installed headers (both builds).
"$tmp/consumer/consumer" "$tmp/run/model.sinr" --roundtrip "$tmp" > /dev/null
"$tmp/pc_consumer" "$tmp/run/model.sinr" --roundtrip "$tmp"
# A bad row is a usage error with the file's name (the consumer exits with its kind's code, 2).
status=0
"$tmp/consumer/consumer" "$tmp/run/model.sinr" 99 "$tmp/x.npy" 2> "$tmp/err" || status=$?
[ "$status" = 2 ] || { echo "row 99: exit $status, expected 2"; cat "$tmp/err"; exit 1; }
grep -q "model.sinr: no trained map 99" "$tmp/err" || { cat "$tmp/err"; exit 1; }
