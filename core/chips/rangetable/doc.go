// Package rangetable is the range-check chip: a fixed table of the 2^16 values
// 0 … 65535 that answers lookups on the buses U16, U12 and U8.
//
// # Statement
//
// Given the preprocessed columns value = row index, is_u12 = [value < 2^12] and
// is_u8 = [value < 2^8], this chip proves that every tuple (v) sent on U16 has
// v < 2^16, on U12 v < 2^12 and on U8 v < 2^8: it receives (value) on U16 with
// multiplicity m16, on U12 with m12·is_u12 and on U8 with m8·is_u8, so the bus can only
// balance when every sent value is a row of the table (with the right flag). The
// multiplicities are free (the prover's counts); LogUp's soundness needs the total
// number of lookups to stay below p, which the table heights guarantee.
//
// # Performance
//
// A fixed 2^16-row table: its preprocessed commitment is part of every verifying key;
// its main trace is three count columns.
package rangetable
