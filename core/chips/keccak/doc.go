// Package keccak is the chip of the KECCAKF syscall (isa.SysKeccakF): the Keccak-f[1600]
// permutation, in place, on the 200-byte state at the byte address [a] — 50 little-endian
// 32-bit words, lane i = word 2i (low) | word 2i+1 (high) << 32, lane (x, y) = lane x+5y.
//
// # Statement
//
// Given tuples (clk, KECCAKF, a, b) received on the Syscall bus, this chip proves that a
// is a multiple of 4 and that, for i = 0 … 49, it made one access to the word at index
// a/4 + i mod 2^30 with timestamp TS(clk, 3 + i), which found the value w_i and left the
// value w'_i, where (w'_0 … w'_49) = Keccak-f[1600](w_0 … w_49) and the new values' limbs
// are 16-bit (well-formed words). B is received but not used. It relies on the Syscall
// bus carrying at most one tuple per clk (the CPU sends one per ECALL), and on the
// memory argument's words being well-formed.
//
// # Tables
//
// The chip is two AIRs talking over [StateBus]:
//
//   - The memory table ([MemoryAIR], "keccak_memory"), one row per call: it receives the
//     call on the Syscall bus, makes the 50 write-capable accesses with the memory gadget
//     (previous value = the input word, new value = the output word), sends
//     (clk, 0, input limbs) and receives (clk, 1, output limbs) on StateBus. a = a_lo +
//     2^16·a_hi is word aligned because q = a_lo/4 passes a 16-bit range check (for
//     a_lo mod 4 ≠ 0 the field quotient is above 2^28). Word i's address is
//     q + 2^14·a_hi + i − 2^30·wrap_i, with wrap_i boolean and only allowed when
//     a_hi = 0xffff, so a state that runs past the top of the address space wraps to its
//     bottom as the executor's does, and no other address can be reached.
//   - The round table ([AIR], "keccak"), 24 rows per permutation, row r of a permutation
//     computing round r. A one-hot counter round[0..23] starts at 0 on row 0 and steps
//     r → r+1 mod 24, so permutations occupy rows 24k … 24k+23. real and clk are
//     constant within a permutation; round r+1's input limbs equal round r's output
//     limbs. The round-0 row receives (clk, 0, input) and the round-23 row sends
//     (clk, 1, output), both with multiplicity real. The table is padded to a power of
//     two with permutations of the zero state and real = 0 (the last one cut short); a
//     cut-short permutation cannot be real: it would receive without sending, and the
//     memory table's rows send and receive one tuple each.
//
// Within a row (constraints of degree ≤ 3; ⊕ of booleans is x + y − 2xy):
//
//   - a[i][l]: 16-bit limbs of the round's input; a_prime[i][z], c[x][z], c_prime[x][z]:
//     bits of θ's output A' = A ⊕ D, of the column parities C[x] = ⊕_y A[x, y] and of
//     C' = C ⊕ D, where D[x] = C[x−1] ⊕ rot(C[x+1], 1). All bits are boolean.
//   - c_prime[x][z] = c[x][z] ⊕ c[x−1][z] ⊕ c[x+1][z−1];
//     Σ_y a_prime[x+5y][z] − c_prime[x][z] ∈ {0, 2, 4} (the parity of A' is C');
//     a[i][l] = Σ_k 2^k·(A' ⊕ C ⊕ C')[i][16l+k]. Then the parity of A is C (five rows:
//     ⊕_y A = C' ⊕ C ⊕ C'), hence D and A' are the true θ values of A, and since the
//     limbs fix A's bits, every column of the row is a function of the limbs a.
//   - ρ and π are a fixed wiring of the a_prime bits (B); χ is
//     B[x, y, z] ⊕ (1 − B[x+1, y, z])·B[x+2, y, z], of degree 3, summed into the output
//     limbs out[i][l]. ι flips bits 2^j − 1 (j < 7) of lane (0, 0) by the round constant,
//     a linear combination of the round flags: χ's output at those seven bits is stored
//     (chi00) to keep the degree at 3.
//
// The output limbs are sums of 16 bits, so the new words are well-formed without range
// checks; the input limbs equal the memory table's previous values through StateBus.
// A record whose new values are not the permutation of its old ones gives a trace that
// does not balance: [MemoryTrace] takes the records' new values, [RoundTrace] computes
// its own.
//
// # Usage
//
//	perms, err := keccak.Perms(events) // the Syscall-bus events with number KECCAKF
//	rounds := keccak.RoundTrace(perms)  // with keccak.AIR()
//	mem := keccak.MemoryTrace(perms, rc) // with keccak.MemoryAIR(); rc counts range lookups
//
// # Performance
//
// The round table is [Width] = 2473 main columns (24 round flags, real, clk, 100 + 100
// limbs, 1600 + 320 + 320 bits, 7 χ bits) and 2 extension auxiliary columns (one LogUp
// group and the running sum), 24 rows per permutation; the memory table is
// [MemoryWidth] = 407 main columns (5 per access, 2 output limbs and a wrap bit per
// word, 7 more) and 103 extension auxiliary columns, one row per call. A call costs about
// 24 × 2481 + 819 ≈ 60,400 base-field cells, plus the power-of-two padding of the round
// table (up to 2× for a bad count of calls), and 101 range lookups (the timestamp
// differences' limbs and a/4). The design follows the shape of Plonky3's keccak-air
// (bits of A', C and C' with limbs of A), with ι's bits reduced from 64 + 4 columns to 7.
package keccak
