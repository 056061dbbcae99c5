// Package bitwise is the chip of the 32-bit bitwise operations AND, OR and XOR.
//
// # Statement
//
// Given rows (op, x, y, z) received on the ALU bus with op AND, OR or XOR, this chip
// proves z = x op y bit by bit, and that z is a well-formed word (16-bit limbs).
//
// Each row is one operation: is_and, is_or and is_xor are boolean, at most one is set,
// and the row receives (op, x_lo, x_hi, y_lo, y_hi, z_lo, z_hi) with multiplicity
// real = is_and + is_or + is_xor and op = AND·is_and + OR·is_or + XOR·is_xor. The
// words are held as bytes (x = Σ x_i·2^(8i), limbs x_lo = x_0 + 2^8·x_1 and
// x_hi = x_2 + 2^8·x_3, likewise y and z), and for each byte i the row looks up
// (op, x_i, y_i, z_i) in the byte table (package bytetable) on the Bitwise bus with
// multiplicity real. The table holds exactly the tuples (op, a, b, a op b) for bytes a
// and b, so every byte is range-checked by its lookup and z_i = x_i op y_i; the limbs
// are then the words' true 16-bit limbs. Padding rows have all flags 0 and constrain
// nothing.
//
// # Usage
//
// [Trace] builds the rows from the CPU's ALU events ([Handles] picks them) and counts its
// lookups in a [bytetable.Counter]; a machine with this chip includes the byte table.
//
// # Performance
//
// 15 main columns; five interactions (the ALU receive and four byte lookups) in three
// LogUp columns (extension field) besides the running sum.
package bitwise
