// Package rangetable is the range-check chip: a fixed table of the 2^16 values
// 0 … 65535 that answers lookups on the buses U16, U12 and U8, and the range checks of
// byte pairs (OpRange) on the Bitwise bus.
//
// # Statement
//
// Given the preprocessed columns value = row index, is_u12 = [value < 2^12],
// is_u8 = [value < 2^8], hi = ⌊value / 2^8⌋ and lo = value mod 2^8, this chip proves
// that every tuple (v) sent on U16 has v < 2^16, on U12 v < 2^12 and on U8 v < 2^8: it
// receives (value) on U16 with multiplicity m16, on U12 with m12·is_u12 and on U8 with
// m8·is_u8, so the bus can only balance when every sent value is a row of the table
// (with the right flag). It also receives (OpRange, hi, lo, 0) on the Bitwise bus with
// multiplicity pair: as value runs over 0 … 2^16 − 1, (hi, lo) runs over every pair of
// bytes exactly once, so a lookup of (OpRange, x, y, 0) proves x < 2^8 and y < 2^8 —
// the Range op of the Bitwise bus (package bytetable), which no other table receives
// (the byte tables receive only their own op, a constant distinct from OpRange = 0).
// The multiplicities are free (the prover's counts); LogUp's soundness needs the number
// of messages on each bus to stay below p, which stark.CheckBuses checks.
//
// # Performance
//
// A fixed 2^16-row table, in every proof: five preprocessed columns (its preprocessed
// commitment is part of every verifying key), four count columns, four interactions.
// It is the tallest table of a small run: the byte tables (package bytetable) may be no
// taller, which lets them be left out of proofs that do not use them. Answering the
// byte pairs' range checks here, rather than in a 2^16-row table of their own, costs two
// fixed columns and one count column and saves a table that most runs had.
package rangetable
