// Package poseidon2 is the chip of the Poseidon2 permutation: exactly package hash's
// instance (width 16 over KoalaBear, S-box x^3, 6 full and 21 partial rounds,
// gnark-crypto's round constants, M_E = circ(2·M4, M4, M4, M4) with Plonky3's
// M4 = circ(2, 3, 1, 1), M_I = J + diag(d)), as a lookup other chips query over
// bus.Poseidon2. Its first caller is the input tape's sponge (package input).
//
// # Statement
//
// Given rows received on bus.Poseidon2 as (KindIn, dom, id, in[16]) with multiplicity
// real, this chip proves that it sends (KindOut, dom, id, out[16]) with the same
// multiplicity and out = P(in), P being hash.Permute. A caller that sends
// (KindIn, dom, id, x) once and receives (KindOut, dom, id, y) once, with (dom, id) used
// by no other call, therefore learns y = P(x): the only senders of KindOut tuples are the
// table's rows, each of which sends P of the input it received under the same (dom, id).
// Callers must keep (dom, id) unique — two calls under one identifier could swap their
// outputs.
//
// # Constraints
//
// One row per permutation, [NumColumns] = 136 main columns: real, dom, id, the input
// in[16], the state after each of the 6 full rounds full_f[16] (full_5 is the output),
// and each of the 21 partial rounds' S-box output partial[p]. Every constraint holds on
// every row (padding rows hold the permutation of the zero state with real = 0), so
// every row is a true permutation:
//
//   - full rounds: full_f = M_E·((x + c_f)^3), element-wise cube, where x is the state
//     entering the round — M_E·in for round 0, full_{f−1} for rounds 1, 2, 4, 5, and
//     the partial rounds' output for round 3. Each of the 16 constraints is of degree 3
//     because x is linear in the columns;
//   - partial rounds: partial[p] = (x_0 + c_p)^3 (degree 3), after which the state is
//     M_I·(partial[p], x_1 … x_15), linear in the columns: the other 15 elements are
//     never stored;
//   - real is boolean; the row receives (0, dom, id, in) and sends (1, dom, id, full_5)
//     with multiplicity real.
//
// Nothing is range-checked: every value is a field element and the permutation is a
// function of field elements. dom and id are not constrained here; only their
// equality between the two messages of a row matters.
//
// # Usage
//
//	rounds := poseidon2.Permute(in)            // the permutation with its intermediate values
//	main := poseidon2.Trace([]poseidon2.Call{…}) // with poseidon2.AIR()
//
// # Performance
//
// A permutation is one row of 136 main columns, 117 constraints of degree 3, and the
// two bus interactions (one LogUp group: two extension auxiliary columns with the
// running sum), about 144 base-field cells. The layout is Plonky3's poseidon2-air's
// with SBOX_REGISTERS = 0 (x^3 needs no intermediate register at degree 3).
package poseidon2
