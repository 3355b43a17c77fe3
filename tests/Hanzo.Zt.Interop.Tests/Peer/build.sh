#!/usr/bin/env bash
# Builds the C++ peer into <output-dir>/zap-peer with the reference Cap'n Proto compiler and RPC library.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$1"
mkdir -p "$out"
cp "$here/zap-peer.c++" "$here/probe.capnp" "$out/"
cp "${CALCULATOR_CAPNP:-$here/calculator.capnp}" "$out/calculator.capnp"
cd "$out"
capnp compile -oc++ -I. calculator.capnp probe.capnp
g++ -O2 -std=c++17 -I. zap-peer.c++ calculator.capnp.c++ probe.capnp.c++ -o zap-peer $(pkg-config --cflags --libs capnp-rpc)
