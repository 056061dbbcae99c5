// Package memory is the zkVM's memory argument: offline memory checking over the LogUp
// Memory bus, with an access gadget that every chip touching memory uses, and the
// memory table that opens and closes every touched word.
//
// # Statement
//
// Every access to a word (word index addr < 2^30) receives the word's previous
// (value, timestamp) and sends its new (value, timestamp), and proves that the previous
// timestamp is smaller than its own ([Access]). The memory table ([AIR]) has one row per
// word, with strictly increasing (so distinct) addresses; it sends each word's initial
// value at timestamp 0 and receives its final value and timestamp. It receives the
// initial value (address, lo, hi) on the Image bus and sends the final value on the
// MemoryFinal bus; in the zkVM these are balanced by package memtree's leaf table, which
// sends each touched word's value in the Merkle tree of memory where the segment starts
// and receives its value in the tree where it ends (the segment's memory boundary is the
// two roots, the verifier's one MemTree message; before, the verifier sent and received
// these per word itself). The Memory bus balances exactly when, for every word, the accesses form one
// chain from its initial value to its final value in increasing timestamp order, each
// read returning the value the last write left: a read that disagrees with the last
// write, an access out of timestamp order, or a word initialised twice leaves a tuple
// unmatched.
//
// Timestamps stay below 2^28 (segments of at most 2^21 − 2 cycles), so ts − prev_ts − 1
// = 16-bit + 2^16·12-bit can only hold when prev_ts < ts: a wrapped difference is close
// to p ≈ 2^31.
package memory
