// Package memtree is the zkVM's memory as a Poseidon2 Merkle tree, and the chip that
// proves a segment moved it from one root to another by changing only the words it
// touched. With it a segment's memory boundary is two 8-element roots instead of one
// public message per touched word: the fixed-size state that a recursion leaf needs to
// aggregate segment proofs.
//
// # The tree
//
// Memory is 2^30 32-bit words (addresses are word indices, as on the buses), zero unless
// written. A word w is two 16-bit limbs (w mod 2^16, w div 2^16); a block is 8
// consecutive words, 16 limbs — word j of block b (address 8b + j) at limbs 2j, 2j+1 —
// and there are 2^27 blocks. With C = hash.Compress (C(l, r) = P(l ‖ r)[8:16] + r, P the
// width-16 Poseidon2 permutation, the engine's Merkle compression):
//
//	node(0, b) = C(limbs[0:8], limbs[8:16])               a block ([LeafDigest])
//	node(h, i) = C(node(h−1, 2i), node(h−1, 2i+1))        1 ≤ h ≤ 27, i < 2^(27−h)
//	root       = node(27, 0)
//
// A node's heap index is 2^(27−h) + i: the root is 1, node n's children are 2n and
// 2n + 1, the blocks are 2^27 … 2^28 − 1 (all below p). [Defaults] are the digests of
// all-zero subtrees per height, so [Tree] stores only the nonzero words and the nodes
// above blocks that were ever set; [FromWords] builds the tree of a program image,
// [Tree.Apply] sets a segment's touched words and returns the chip's [Witness].
//
// A block's digest is one compression of its 16 limbs, the same function as the inner
// nodes'. No domain separation between blocks and inner nodes, or between heights, is
// needed: the depth is fixed and the chip verifies every node's height and index, so an
// opening of a word is always 27 compressions above one block; the classic confusion of
// a node with a leaf needs a path of another length, which cannot be expressed. A
// second preimage of a root at a given position is then a collision of C (≈124 bits,
// the engine's hash bound). The limbs are below 2^16 (the word encoding is injective)
// in every tree the chip produces (see the range arguments).
//
// # Statement
//
// Given the verifier's message sending (1, 27, R_init, R_final) on bus.MemTree
// ([Message]) and the poseidon2 chip answering bus.Poseidon2, the node and leaf tables
// ([NodeAIR], [LeafAIR]) prove: if R_init is the root of a memory T (a tree of words),
// then, unless the prover knows a collision of C, there is a set S of addresses such
// that
//
//   - for each a in S the tables send (a, lo, hi) of T's word a on bus.Image and
//     receive (a, lo', hi') on bus.MemoryFinal, exactly once each, with lo', hi' < 2^16
//     (and lo, hi < 2^16: a U16 lookup too);
//   - R_final is the root of the memory T' that holds the word lo' + 2^16·hi' received
//     at each a in S, and T's word at every other address.
//
// So roots chain: a run's first R_init is the program image's root (the verifier's:
// [FromWords]), and each segment's R_final is the root of the memory it leaves.
//
// With the memory table (package memory) receiving each touched word's initial value on
// Image and sending its final value on MemoryFinal, S is the segment's set of touched
// words and R_final the root of the memory the segment leaves.
//
// # Tables and constraints
//
// One row per expanded node: every node with a touched block below it (the root always;
// for an empty S the root alone, with nothing expanded, proves R_init = R_final).
//
// Node table ([NodeColumns], [NodeWidth] = 70 columns), one row per expanded node above
// the blocks: real, id, h, h_inv, expand[2], child[s][t][8] (child s's digest in tree t,
// t = init, final) and out[t][16]. Its digest in tree t is
// d_t = out[t][8:16] + child[1][t], where the row sends (KindIn, dom_t, id,
// child[0][t] ‖ child[1][t]) and receives (KindOut, dom_t, id, out[t]) on bus.Poseidon2
// with multiplicity real (dom_init = [DomInit] = 3, dom_final = [DomFinal] = 4: only this
// chip uses them; 0 is the input tape's, 1 the hooks', 2 the recursion program's). Then:
//
//   - real, expand_s boolean; expand_s·(1 − real) = 0 (padding sends nothing);
//   - h·h_inv = real: a node row is never at height 0 (padding: h = h_inv = 0);
//   - receive (id, h, d_init, d_final) on bus.MemTree with multiplicity real;
//   - for each child s: send (2·id + s, h − 1, child[s][init], child[s][final]) on
//     bus.MemTree with multiplicity expand_s, and (1 − expand_s)·(child[s][init] −
//     child[s][final]) = 0 element-wise: a child without a row of its own is the same
//     subtree in both trees.
//
// Leaf table ([LeafColumns], [LeafWidth] = 74 columns), one row per expanded block: real,
// id, touched[8], limb[t][16], out[t][16]. The block's digest in tree t is
// out[t][8:16] + limb[t][8:16], out[t] the permutation of limb[t] under (dom_t, id) as
// above. Then, with word j's address a_j = 8·(id − 2^27) + j:
//
//   - real, touched_j boolean; touched_j·(1 − real) = 0;
//   - receive (id, 0, d_init, d_final) on bus.MemTree with multiplicity real: a leaf row
//     is at height 0;
//   - (1 − touched_j)·(limb[init][2j+l] − limb[final][2j+l]) = 0 (l = 0, 1): an
//     untouched word keeps its value;
//   - with multiplicity touched_j: send (a_j, lo_init, hi_init) on bus.Image, receive
//     (a_j, lo_final, hi_final) on bus.MemoryFinal, and send each of the four limbs on
//     bus.U16.
//
// # Soundness
//
// Positions. Every real row's (id, h) is a genuine node: h ∈ [0, 27] and id its heap
// index. A real row receives its tuple once, so (the bus balancing, all multiplicities
// being 0 or 1 and the rows fewer than p) some real node row, or the verifier, sends it.
// Following senders from any row gives a chain whose heights increase by 1 per step; it
// cannot cycle (a cycle would need a length divisible by p), so it ends at the
// verifier's root message (1, 27). Going down from the root, a node row at height h ≥ 1
// (h ≠ 0 by h·h_inv = real) sends its children at h − 1 ≥ 0 with heap indices 2·id + s;
// height-0 tuples are received only by leaf rows (node rows refuse h = 0, leaf rows
// receive only h = 0), which send nothing on bus.MemTree. So heights stay in [0, 27],
// indices are the heap indices of the path taken (below 2^28 < p: no wrap-around), and a
// leaf row's block is id − 2^27 < 2^27, its addresses a_j < 2^30.
//
// Uniqueness. The number of real rows with heap index n equals the number of sends of a
// tuple with index n: 1 for the root (the verifier's message; no row sends index 1,
// children's indices being ≥ 2), and for n ≥ 2 at most the number of rows with index
// ⌊n/2⌋ (one send each, of child n mod 2). By induction every node has at most one row:
// each block, hence each word, is expanded at most once, and each touched word is sent
// on Image and received on MemoryFinal exactly once. The Poseidon2 identifiers
// (dom_t, heap index) are therefore unique, as package poseidon2 requires (two calls
// under one identifier could swap outputs). This is why node rows must not sit at height
// 0: below the blocks, indices 2^28 and beyond wrap modulo p onto genuine ones.
//
// Digests. Let R_init be the root of T. Going down the rows from the root, each row's
// d_init is the digest of its node in T, and its children's init digests are their
// digests in T (they hash to d_init through the Poseidon2 chip, under identifiers no
// other call uses; two different preimages of one digest would be a collision of C):
// a leaf row's init limbs are T's block. Define T' as T with each touched word set to
// the leaf row's final limbs (range-checked, so a word). Going up, each row's d_final is
// its node's digest in T': an unexpanded child has the same digest in both trees (keep_s)
// and the same subtree in T and T' (it holds no touched word); an untouched word of an
// expanded block keeps T's limbs (keep_j). So R_final, the root row's d_final, is the
// root of T'.
//
// # Range arguments
//
// Every column, as it enters:
//
//   - real, expand_s, touched_j: boolean constraints (a multiplicity −1 would turn a
//     receive into a send);
//   - h, id (node rows), id (leaf rows): no range check. They are fixed by the parent
//     relation from the verifier's (1, 27) (Positions above): h ∈ [1, 27] on node rows,
//     0 on leaf rows, id < 2^28; padding rows' values are inert (every multiplicity 0);
//   - h_inv: a field element, h·h_inv = real;
//   - child digests, out: field elements of the permutation (no range). The out[t][0:8]
//     halves only complete the bus tuple;
//   - limbs: the four limbs of each touched word (the values that leave the chip, on
//     Image and MemoryFinal) are U16 lookups. An untouched word's limbs equal in both
//     trees, and leave nothing. T_init's limbs are canonical when R_init is (the
//     program image's root, computed by the verifier, or a previous segment's R_final),
//     so by induction every tree of a run holds canonical limbs;
//   - multiplicities: each row's are 0 or 1, and a table has fewer than p rows, so every
//     bus count is an integer below p and balancing means equality.
//
// # Usage
//
//	t, _ := memtree.FromWords(image)                 // the program image's tree; t.Root() is R_init
//	w, _ := t.Apply(touched)                         // the segment's words; w.Roots[Final] = t.Root()
//	node, leaf, calls := memtree.Trace(w, rc)        // with NodeAIR(), LeafAIR(); calls go to poseidon2.Trace
//	msg := memtree.Message(w.Roots[memtree.Init], w.Roots[memtree.Final]) // the verifier's message
//
// # Performance
//
// A node row: 70 main columns, 7 interactions (MemTree ×3, Poseidon2 ×4: 5 extension
// auxiliary columns), about 90 base-field cells; a leaf row: 74 main columns, 53
// interactions (MemTree, Poseidon2 ×4, Image ×8, MemoryFinal ×8, U16 ×32: 28 extension
// auxiliary columns), about 186 cells; plus two poseidon2 rows (144 cells each) per row
// of either table, about 380 cells per expanded node in all. The constraints are of
// degree ≤ 2. For k touched words:
//
//   - spread uniformly over memory (the worst case: each word its own path below height
//     log2 k): about 27 − log2 k node rows and 2·(28 − log2 k) permutations per word —
//     1k words: ≈17k node rows, 1k leaf rows, 36k permutations; 10k: ≈138k, 10k, 296k;
//     100k: ≈1.05M, 100k, 2.3M;
//   - clustered in a few runs of consecutive words (code, data, heap, stack): about k/8
//     leaf rows, k/8 node rows and k/2 permutations, plus 27 node rows per run —
//     1k words: ≈125 leaf and ≈210 node rows, ≈670 permutations; 10k: ≈1.25k, ≈1.34k,
//     ≈5.2k; 100k: ≈12.5k, ≈12.6k, ≈50k.
//
// Measured (BenchmarkProve, BenchmarkWitness; 2-vCPU shared AMD EPYC under a load of
// about 7, default engine parameters, the node, leaf, poseidon2 and range tables proven
// together; the best of 3): 1,000 spread words — 17,110 node rows (2^15 padded), 1,000
// leaf rows, 36,220 permutations (2^16) — prove in 1.75 s and build (tree of a
// 4,096-word image, Apply, Trace, poseidon2.Trace) in 0.50 s; 1,000 clustered words —
// 193 node rows, 128 leaf rows, 642 permutations — prove in 0.32 s (about the 2^16-row
// range table's fixed cost) and build in 10 ms. Proofs of 1.47 MB and 1.39 MB. The
// poseidon2 table dominates: 2 permutations per expanded node.
package memtree
