#!/usr/bin/env bash
# bench/gpu_prepare.sh — run here (Debian 12, with apt) before bench/gpu_check.sh runs on a GPU machine
# that has CMake, ninja and PyTorch but no Debian -dev packages and no network.
#
#   bash bench/gpu_prepare.sh            (writes build-gpu-deps/, ignored by git; carry it to the GPU)
#
# build-gpu-deps/debs/  the .deb files of the libraries seisinr links besides torch, and pkg-config;
#                       gpu_check.sh unpacks them with dpkg -x into /opt/deps (no install, no root rules)
# build-gpu-deps/data/  the shared OpenFWI test maps (../shared/data/openfwi/*.npy, 12 MB), which the
#                       GPU machine cannot reach; delete the folder when the run is done
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEPS="$ROOT/build-gpu-deps"
mkdir -p "$DEPS/debs" "$DEPS/data"
cd "$DEPS/debs"
apt-get download nlohmann-json3-dev libcli11-dev libzstd-dev libzstd1 libxxhash-dev libxxhash0 \
  libpng-dev libpng16-16 zlib1g-dev zlib1g libsegyio-dev libsegyio1 pkgconf-bin libpkgconf3 2>/dev/null
for f in *%3a*; do [ -e "$f" ] && mv "$f" "${f//%3a/_}"; done  # an epoch's colon, URL-encoded: a name the device tool refuses
cp "$ROOT/../shared/data/openfwi/"*.npy "$DEPS/data/"
echo "gpu_prepare: $(ls "$DEPS/debs" | wc -l) packages and $(ls "$DEPS/data" | wc -l) map files in $DEPS ($(du -sh "$DEPS" | cut -f1))"
