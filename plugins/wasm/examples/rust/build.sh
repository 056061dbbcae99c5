#!/bin/sh
# Builds the Rust example with Debian's rustc for WASI (apt-get install rustc
# libstd-rust-dev-wasm32; rustc 1.63 names the target wasm32-wasi) and strips the
# debug sections (wasm-strip, from wabt). The .wasm is checked in.
set -e
cd "$(dirname "$0")"
/usr/bin/rustc --target wasm32-wasi -C opt-level=2 -o wc.wasm wc.rs
wasm-strip wc.wasm
