// Package bytetable is the byte-operation table: a fixed table of (op, x, y, z) for all
// pairs of bytes x, y and the four byte operations AND, OR, XOR and Range, that answers
// lookups on the Bitwise bus.
//
// # Statement
//
// Given the preprocessed columns op, x, y and z, which list every (op, x, y, x op y)
// with x, y < 2^8 and op one of [Ops], this chip proves that every tuple
// (op, x, y, z) sent on the Bitwise bus is a row of that list: it receives
// (op, x, y, z) with the free multiplicity mult on every row, so the bus can only
// balance when every sent tuple is a row. A lookup of (AND, x, y, z) therefore proves
// x < 2^8, y < 2^8 and z = x AND y (likewise OR and XOR), and a lookup of
// (OpRange, x, y, 0) proves x < 2^8 and y < 2^8: two byte range checks for the price of
// one interaction, which is what the arithmetic chips (mul, divrem, shift) use it for.
// LogUp's soundness needs the total number of lookups to stay below p, which the
// segment size guarantees.
//
// The Bitwise bus of package bus documents (op, x, y, x op y) for AND, OR and XOR;
// OpRange (z = 0) is this table's fourth block, added because the table's height is a
// power of two anyway (3·2^16 rows round up to 2^18).
//
// # Usage
//
// Chips record their lookups in a [Counter] while their traces are filled
// ([Counter.Lookup], [Counter.Range]); the table's main trace is [Counter.Trace] and its
// fixed columns [Preprocessed].
//
// # Performance
//
// A fixed 2^18-row table: four preprocessed columns (part of every verifying key), one
// main column and one LogUp interaction.
package bytetable
