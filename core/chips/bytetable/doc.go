// Package bytetable is the byte-operation tables: for each of the byte operations AND,
// OR and XOR, a fixed table of (op, x, y, x op y) for all pairs of bytes x, y, that
// answers lookups on the Bitwise bus. Each op's table is a table of its own (bytes_and,
// bytes_or, bytes_xor), so that a run pays only for the ops it looks up. The fourth op
// of the Bitwise bus, OpRange (a range check of two bytes), is answered by the range
// table (package rangetable), which every proof has.
//
// # Statement
//
// Given op's preprocessed columns x, y and z, which list every (x, y, x op y) with
// x, y < 2^8, op's table proves that every tuple (op, x, y, z) sent on the Bitwise bus
// is one of its rows: it receives (op, x, y, z), op a constant, with the free
// multiplicity mult on every row. Together with the range table's (OpRange, x, y, 0)
// rows, the receivers of the Bitwise bus hold exactly the tuples (op, x, y, x op y)
// for op one of AND, OR, XOR and OpRange (x op y = 0 for OpRange) and x, y bytes, so the
// bus can only balance when every sent tuple is one of them. A lookup of
// (AND, x, y, z) therefore proves x < 2^8, y < 2^8 and z = x AND y (likewise OR and
// XOR), and a lookup of (OpRange, x, y, 0) proves x < 2^8 and y < 2^8: two byte range
// checks for the price of one interaction, which is what the arithmetic chips (mul,
// divrem, shift, u256) use it for.
//
// The ops are distinct field elements (three ISA opcodes and OpRange = 0), and each
// receiver's op is a constant, so a tuple whose first element is op can only be
// received by op's table. The machine leaves the table of an op that nothing looked up
// out of the proof (an optional table, see stark.Setup): it then receives nothing, and
// any tuple (op, …) sent anyway leaves the bus unbalanced. Leaving a table out proves
// the same statement, since a table with no lookups has mult = 0 on every row and adds
// nothing to the bus; its fixed columns stay in the verifying key's preprocessed
// commitment either way. LogUp's soundness needs the number of messages on the bus to
// stay below p (the multiplicities are field elements), which stark.CheckBuses checks
// for every proof and the segment size guarantees.
//
// The Bitwise bus of package bus documents (op, x, y, x op y) for AND, OR and XOR and
// (OpRange, x, y, 0).
//
// # Usage
//
// Chips record their lookups in a [Counter] while their traces are filled
// ([Counter.Lookup], [Counter.Range]); op's main trace is [Counter.Trace] (nil when
// nothing looked op up) and its fixed columns [Preprocessed]; the range table reads the
// byte pairs' counts ([Counter.RangeCount]).
//
// # Performance
//
// Three tables of 2^16 rows, each present only when the run looks its op up: three
// preprocessed columns each (part of every verifying key), one main column and one
// LogUp interaction. A run without AND, OR or XOR (nor the 256-bit operations that use
// them) has none of them. Before, one 2^18-row table of the four ops (with an op
// column) was in every proof: for a 7k-cycle program it was most of the prover's work.
package bytetable
