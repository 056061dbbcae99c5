// Package recursion is the AIR set that proves a recursion program executed: given a
// Program of package proving/recursion (a straight-line program over write-once
// degree-4 cells) fixed by the verifying key, and its public outputs, a proof says that
// some input stream makes the program execute (every assertion holds) with those
// outputs. It is the prover's half of aggregation: the program is a STARK verifier.
//
// # Statement
//
// Given the verifying key of a program P (Setup: P's addresses, read counts, selectors
// and constants are preprocessed columns) and public values y_1 … y_m for P.Publics,
// this AIR set proves that there are values v_c, one per cell c, such that every
// instruction of P holds — c = K for a constant, v_c ∈ F_p for input_base, C = A + B,
// A − B or A·B in F_p[X]/(X^4 − 3) (field.Ext), A = B for assert_eq, Out = P2(In) for a
// permutation (hash.Permute; inputs and outputs in F_p), Out = hash.Compress(l, r) for a
// compression, (l, r) the halves of In in the order its bit A ∈ {0, 1} says (A = 0 in the
// instruction: no swap), Out = the canonical 31-bit decomposition of A ∈ F_p, the
// input_base4 cells in F_p and its ext cell their element, C = A + Σ c_k·x_k with
// x_k ∈ F_p for a dot — and v_(Publics[i]) = y_i. Inputs and inverse hints are
// free: the statement quantifies over them (an inverse is only what the program asserts
// of it, as Builder.Inv does).
//
// The tables talk over [Memory], a LogUp bus of tuples (cell, v0, v1, v2, v3), the
// coordinates in field.ExtCoords order. The one instruction that writes a cell sends its
// tuple with multiplicity n_c, the number of reads of c by the AIR set plus the
// publics that name c (a preprocessed column, computed by Setup); each read receives
// (cell, value) once (a preprocessed selector), and the verifier receives (Publics[i],
// y_i) for each public ([Messages]). Since Setup checks that every cell has exactly one
// writer, the only tuples sent for c are n_c copies of (c, v_c), and the bus balances
// only if every read of c, public reads included, sees v_c: memory is write-once and
// reads are consistent. Base reads (perm inputs, the decomposed cell) receive
// (c, x, 0, 0, 0), so they also prove that the cell is a base element.
//
// # Constraints
//
// Six tables (AIRs), each padded to a power of two with rows whose preprocessed
// selectors and multiplicities are 0 — padding rows put nothing on any bus and satisfy
// every constraint whatever their main values (the bits table's and the perm table's
// constraints hold on the zero row; the perm table's on any row with bit 0 and r the
// inputs' right half):
//
//   - recursion_arith, one row per add, sub, mul, assert_eq. Preprocessed a_addr,
//     b_addr, c_addr, c_mult, is_add, is_sub, is_mul, is_assert; main a[4], b[4], c[4].
//     is_add·(c − a − b) = 0, is_sub·(c − a + b) = 0, is_mul·(c − a·b) = 0 and
//     is_assert·(a − b) = 0, per coordinate, with a·b the product in F_p[X]/(X^4 − 3)
//     (power-basis coefficients a0, a2, a1, a3 of the coordinates; degree 3). Receives
//     (a_addr, a) and (b_addr, b) with multiplicity is_add + is_sub + is_mul + is_assert;
//     sends (c_addr, c) with c_mult (0 for assert_eq).
//   - recursion_leaf, one row per const, input, input_base, input_base4, inv.
//     Preprocessed addr, mult, is_const, is_base, k[4], coord_addr[4], coord_mult[4];
//     main v[4]. is_const·(v − k) = 0, is_base·v_i = 0 for i = 1…3; sends (addr, v)
//     with mult and (coord_addr_k, v_k, 0, 0, 0) with coord_mult_k. An input_base4 row
//     writes its base cells through the latter (coord_mult 0 in the slots it lacks) and
//     its ext cell, if any, through the former (mult 0 without one): the ext cell is the
//     element whose coordinates the base cells hold.
//   - recursion_perm, one row per permutation or compression. Preprocessed real,
//     in_addr[16], out_addr[16], out_mult[16], bit_addr, has_bit, is_compress; main
//     in[16], out[16], bit, r[8]. bit·(has_bit − bit) = 0 (boolean where the row reads
//     a bit, 0 elsewhere); r_j = in_(8+j) + bit·(in_j − in_(8+j)) (degree 2), so the
//     permutation's input s = (in_j + in_(8+j) − r_j ‖ r_j) is in when bit = 0 and its
//     halves swapped when bit = 1. It receives (in_addr_i, in_i, 0, 0, 0) with real and
//     (bit_addr, bit, 0, 0, 0) with has_bit, sends (KindIn, [DomRecursion], id, s) and
//     receives (KindOut, DomRecursion, id, out_0…out_7, out_(8+j) − is_compress·r_j) on
//     bus.Poseidon2 with real (degree 2: that interaction has a LogUp group of its own),
//     and sends (out_addr_i, out_i, 0, 0, 0) with out_mult_i. A perm row (is_compress,
//     has_bit 0) writes the 16 outputs; a compress row writes the digest
//     out_(8+j) = P(s)_(8+j) + r_j = hash.Compress(l, r) in slots 8…15 (out_addr and
//     out_mult of slots 0…7 are 0). The call's id is out_addr[8], a cell that no other
//     instruction writes (a perm's ninth output, a compression's first digest cell):
//     (dom, id) is unique, as the Poseidon2 chip's statement requires.
//   - recursion_bits, one row per decomposition. Preprocessed real, a_addr,
//     out_addr[31], out_mult[31]; main bit[31], w. bit_i·(1 − bit_i) = 0; with
//     low = Σ_(i<24) bit_i·2^i and top = Σ_(i≥24) bit_i·2^(i−24), canonical:
//     low·(1 − (127 − top)·w) = 0 (degree 3). Receives (a_addr, Σ bit_i·2^i, 0, 0, 0)
//     with real; sends (out_addr_i, bit_i, 0, 0, 0) with out_mult_i.
//   - recursion_dot, one row per dot. Preprocessed real, acc_addr, out_addr, out_mult,
//     used[4], c_addr[4], x_addr[4]; main acc[4], c_k[4] for k < 4, x[4], out[4].
//     out_i − acc_i − Σ_k used_k·x_k·c_k,i = 0 per coordinate i (an ext element times a
//     base one is coordinate-wise; degree 3). Receives (acc_addr, acc) with real,
//     (c_addr_k, c_k) and (x_addr_k, x_k, 0, 0, 0) with used_k; sends (out_addr, out)
//     with out_mult. A slot without a product (used_k = 0) reads nothing and enters no
//     sum, whatever its columns hold.
//   - poseidon2, package poseidon2's chip, unchanged: one row per call.
//
// # Range argument
//
// Every main column is a field element; nothing is range-checked by a lookup, and
// none needs to be:
//
//   - arith a, b, c and leaf v are coordinates of F_p[X]/(X^4 − 3) elements: any field
//     values are an element. Their bus tuples bind them to the cell's one value.
//   - leaf v on input_base rows: v1 = v2 = v3 = 0 by constraint, v0 any element.
//   - leaf v on input_base4 rows: each v_k any element, a base element as a cell
//     (coord tuples have zero upper coordinates); v_k of a slot the row lacks is sent
//     nowhere (coord_mult 0) and, as a row with fewer than four cells has no ext cell,
//     enters nothing.
//   - perm in, out: base elements by their tuples' zero coordinates, any field values
//     (the permutation is a function of F_p^16; the Poseidon2 chip proves out = P(s)).
//   - perm bit: 0 or 1 by its constraint where has_bit (and the memory bus ties it to
//     the bit cell, which must therefore hold 0 or 1: the executor refuses another
//     value, so a program executes exactly when its rows can be proven), 0 on every
//     other row, so a perm row or a compression without a bit never swaps.
//   - perm r: determined by in and bit (its constraint), any field values; with a
//     boolean bit, r is the selected right half and in_j + in_(8+j) − r_j the left
//     one, so s is exactly (l ‖ r) and the digest written is P(s)[8…16) + r.
//   - bits bit_i: boolean by constraint, so x = Σ bit_i·2^i < 2^31 as an integer and
//     the recomposition cannot wrap more than once; x < p by the canonical constraint
//     (x ≥ p exactly when top = 127 and low ≥ 1, and top = 127 makes the constraint
//     low = 0; low < 2^24 < p, so low = 0 as an integer). The received tuple then says
//     the read cell equals the unique canonical decomposition of its value.
//   - dot acc, c_k, out: coordinates of extension elements, any field values, bound to
//     their cells by their tuples; x_k: base elements by their tuples' zero
//     coordinates; in slots with used_k = 0 all of them are free and unused.
//   - bits w: a free helper, (127 − top)⁻¹ when top ≠ 127; any value when top = 127
//     (the constraint no longer depends on it).
//
// Multiplicities and addresses are preprocessed: Setup computes them from a checked
// program (cells below p, so addresses are distinct field elements; every read and
// public of a written cell). n_c counts reads — up to 17 by one permutation or
// compression row (16 inputs and the bit), 2 by an arithmetic row, 1 by a decomposition
// or a public — so it is at most the memory bus's number of slots (rows × interactions plus public messages), which stark.CheckBuses
// keeps below p; with every multiplicity fixed by the key, that is what keeps the bus
// sound.
//
// # Usage
//
//	pk, vk, err := recursion.Setup(engine, prog)        // deterministic, both sides
//	proof, publics, err := recursion.Prove(engine, pk, inputs) // Execute, traces, stark
//	err = recursion.Verify(engine, vk, publics, proof)  // errors.Is(err, stark.ErrInvalidProof)
//
// SetupHeights pads every table to fixed minimum heights (the Poseidon2 table's too,
// through the proving key): programs set up at the same heights have proofs of one shape,
// their keys differing only in the preprocessed commitment, its digest and the public
// cells — what one join program verifies (core/aggregate).
//
// vk.Digest binds the STARK key (the program, through the preprocessed commitment) and
// the public cells.
//
// # Performance
//
// Per instruction, base-field cells committed by each proof (main + LogUp extension
// columns × 4; preprocessed columns are committed once, by Setup):
//
//	arith        12 main +  3 ext aux (12)          = 24 per ext op   (+ 8 preprocessed)
//	leaf          4 main +  4 ext aux (16)          = 20 per leaf     (+ 16 preprocessed; up to 4 input cells)
//	perm         41 main + 19 ext aux (76) + Poseidon2 chip 136 + 8 = 261 per perm (+ 52)
//	bits         32 main + 17 ext aux (68)          = 100 per bits    (+ 64 preprocessed)
//	dot          28 main +  6 ext aux (24)          = 52 per dot      (+ 16 preprocessed; up to 4 products)
//
// With blowup 2 (the engine's maximum constraint degree 3) a LogUp group holds two
// interactions, so the memory bus costs about two base columns per read or write: the
// 35 interactions of a perm row dominate its cost. A compression row (a Merkle step:
// swap, permutation, feed-forward) replaces a perm row and 40 arithmetic rows.
//
// BenchmarkProve, a synthetic program of 100,000 ext operations (mul, add, sub), 5,000
// permutations and 625 decompositions (tables of 2^17, 2^13, 2^13 and 2^10 rows), with
// hemera.DefaultParams (blowup 2, 203 queries): Setup 0.13 s, Prove 0.67–1.03 s
// (three runs: 0.67, 1.03, 0.75), Verify 0.04 s, a 1.58 MB proof, on an AMD EPYC
// Zen 4, 2 vCPUs, AVX2 + AVX-512, shared with other work. Merkle hashing (Poseidon2
// over the committed cells) is about 40% of the profile: the committed cells above are
// the cost model.
package recursion
