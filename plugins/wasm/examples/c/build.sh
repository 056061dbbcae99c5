#!/bin/sh
# Builds the C examples with Debian's clang for wasm32-wasi (apt-get install clang lld
# wasi-libc). The .wasm files are checked in; the tests use them as they are.
set -e
cd "$(dirname "$0")"
for p in sha256 sort bf; do
	clang --target=wasm32-wasi -O2 -o "$p.wasm" "$p.c"
done
