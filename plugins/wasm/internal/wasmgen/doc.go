// Package wasmgen generates random valid WebAssembly modules (integer subset: i32 and
// i64 arithmetic, locals and globals, memory loads, stores, growth and bulk operations,
// blocks, loops, if, br_if, br_table, select, direct and indirect calls, multi-value
// results) for differential tests against another engine. Every generated module
// exports its functions f0…fN-1 and "checksum", a function hashing the first 4 KiB of
// memory and the globals, so that side effects are compared too.
package wasmgen
