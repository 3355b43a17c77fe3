#!/usr/bin/env bash
# Builds the C++ generic-interface peer into <output-dir>/generic-peer with the reference compiler and RPC library.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$1"
mkdir -p "$out"
cp "$here/generic-peer.c++" "$here/depot.capnp" "$out/"
cd "$out"
capnp compile -oc++ depot.capnp
g++ -O1 -std=c++17 -I. generic-peer.c++ depot.capnp.c++ -o generic-peer $(pkg-config --cflags --libs capnp-rpc)
