// Package hook is the table of a frontend's host-state syscalls (hooks: ECALL numbers
// from isa.FirstHook up, served by exec.Options.Hooks). A hook answers a question about
// host state — a storage slot, an account balance, the clock — with a word the frontend
// chooses, nondeterministically: nothing in the program computes it. This table makes
// such a run provable by binding every answer: each hook call becomes one entry of a
// log absorbed into a Poseidon2 sponge, whose digest and length are in the claim. A
// verifier thus knows exactly which host answers the run used (a verifier holding the
// host state re-derives the log and compares digests); a proof with any other answer
// does not verify.
//
// # The log and its digest
//
// A provable hook takes the query in its operand B (an immediate or a slot) and puts its
// answer in [a]; it does nothing else (no other memory access, no attached data:
// core/machine refuses to prove a run whose hooks do more, since nothing would bind it).
// The executor records the call with number n, B and the answer A = [a] after the call
// (for a hook that leaves [a] alone, its value). The entry of the call is the block
//
//	block(n, B, A) = (n, B mod 2^16, B div 2^16, A mod 2^16, A div 2^16, 0, 0, 0)
//
// eight field elements, the sponge's rate, injective on (n, B, A) for n < 2^16. With P =
// hash.Permute and IV = (0, …, 0 | [Domain], 0, …, 0) (zero rate; the capacity holds
// the domain tag):
//
//	s_0 = IV;  s_{i+1} = P(s_i + (block_i ‖ 0^8));  digest = s_N[0:8]
//
// over the N hook calls of the run in execution order ([Absorb], [Digest]). Every
// message is a whole number of blocks, so no padding is needed; N is in the claim
// beside the digest, and the domain tag keeps the sponge apart from the input tape's
// (package input) and the engine's other uses of the permutation. Collision resistance
// is the sponge's with an 8-element capacity, ≈124 bits, the engine's hash bound.
//
// The sponge runs across segments: a segment starts from the state the previous one
// left (IV for the first) and its proof makes the state after its last call a public
// value, which core/machine's linker hands to the next segment. The log, its digest and
// the claim are therefore the same however the run is cut (every profile gives the
// same claim_root), and a segment is proven as soon as it is executed.
//
// # Statement
//
// Given the verifier's messages for a segment that makes n ≥ 1 hook calls from the
// sponge state start to the state end ([Messages]: it sends (KindOut, DomHook, 0,
// start) on bus.Poseidon2 and receives (n, end) on the public HookEnd bus), and the
// poseidon2 chip answering bus.Poseidon2, this table proves that it receives exactly n
// tuples (clk, number, a_lo, a_hi, b_lo, b_hi) on the Syscall bus, at strictly
// increasing clk, each with FirstHook ≤ number < 2^16 and a well-formed answer word
// (a_lo, a_hi < 2^16), and that end is start after absorbing their blocks in clk order.
//
// With the CPU sending (clk, number, [a] after, B) for every ECALL (its [a] access a
// write for hook numbers: package rom), the Syscall bus closes only if the table's rows
// are exactly the segment's hook calls: a call the table did not absorb has no receiver,
// and no other chip receives a number ≥ FirstHook. So [a] after every hook call is the
// answer that the sponge absorbed, and nothing else about a hook call is free.
//
// # Constraints
//
// Rows: row k < n is the k-th call (real = 1), row n is final (final = 1), padding rows
// follow. k is the row index (0 first, +1 per row). real, final are boolean and
// exclusive; real = 1 on the first row and 0 on the last; real_next·(1 − real) = 0
// (real rows form a prefix); final_next = real − real_next (exactly the row after the
// last real row is final). The final row sends (k, state) on the public HookEnd bus,
// which only the verifier's (n, end) receives: k = n, so exactly n rows are real.
//
// A real row receives (clk, number, a_lo, a_hi, b_lo, b_hi) on the Syscall bus;
// number − FirstHook, a_lo and a_hi are U16 lookups. Between real rows clk_next − clk − 1
// = dclk_lo + 2^16·dclk_hi with U16 and U12 lookups (sent by real rows).
//
// Sponge: a real row sends (KindIn, DomHook, k + 1, state + (block ‖ 0)) on
// bus.Poseidon2; real and final rows receive (KindOut, DomHook, k, state). The
// identifiers are row indices, distinct, and only this table uses DomHook, so row k + 1's
// state is P of row k's state plus its block, and row 0's state is the verifier's start.
// The final row's state (all 16 elements: the capacity is carried to the next segment)
// is the end the verifier receives.
//
// # Range arguments
//
// Every value that enters as a field element:
//
//   - number: a ROM immediate (below 2^16, rom.MaxSyscall) on the CPU's side; here
//     number − FirstHook is a U16 lookup, so number ∈ [FirstHook, FirstHook + 2^16): no
//     core syscall (READ, WRITE, the precompiles, all below FirstHook) can be answered
//     from this table, and as a block element it is the integer number;
//   - a_lo, a_hi: U16 lookups here. This table produces the answer word, so it checks
//     it (package bus's convention): the word the CPU writes to [a] is well-formed;
//   - b_lo, b_hi: the CPU's B, a word read from memory (well-formed: its producer
//     checked it) or a ROM immediate (limbs below 2^16), so the block is injective;
//   - clk: the CPU's cycle (< 2^21 in a segment); dclk_lo, dclk_hi: U16, U12 lookups, so
//     the gap is an integer below 2^28 and clks strictly increase;
//   - k: the row index, below the table height (≤ 2^24); n: the verifier's, at most the
//     segment's cycles (< 2^21), compared with k exactly on the HookEnd bus;
//   - state, start and end: field elements of the permutation, no range.
//
// The table has no public values: what a segment claims about its hook calls enters
// through the verifier's messages on public buses, so the table can be optional (left
// out of every proof without hook calls, at no cost). A segment that claims no hook
// call gets no messages: the table cannot be present (its final row's send would have
// no receiver), so no Syscall tuple with a hook number is received, so the CPU made no
// hook call; the verifier then requires the segment's end state to be its start. A
// segment that claims calls gets both messages, which only the table can balance.
//
// # Usage
//
//	s := hook.IV()
//	hook.Absorb(&s, hook.Entry{Number: 0x100, B: key, A: answer}) // for each call, in order
//	d := hook.Digest(s)                                            // the claim's hook digest
//	main, calls := hook.Trace(events, start, rc)                   // with hook.AIR(); calls go to poseidon2.Trace
//	msgs := hook.Messages(start, n, end)                           // the verifier's, when n ≥ 1
//
// # Performance
//
// [Width] = 27 main columns per hook call, 9 interactions (5 range lookups, Syscall, 2
// Poseidon2, HookEnd), plus one poseidon2 row per call: about 200 base-field cells per call,
// nothing at all in a segment without hooks (the table is left out).
package hook
