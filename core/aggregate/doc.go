// Package aggregate turns N recursion proofs into one by a tree of 2-to-1 joins: the
// aggregation layer of docs/injector.md ("Aggregation"). The proofs are made by the
// recursion AIR set (core/chips/recursion) for recursion programs (proving/recursion);
// a leaf is any recursion program with the tree's public layout (in the zkVM, a program
// that verifies a segment proof), a join is the program this package emits.
//
// # Statement
//
// Every proof of a tree has the public values of its [Layout]:
//
//	[vk_root (8) | start (K) | end (K) | constants (C)]   base elements
//
// where vk_root is the root of the allowlist: a Poseidon2 Merkle tree (hash.Compress at
// every node, fixed depth) whose leaves are hash.Elems(digest ‖ prep_root ‖ cells) of the
// tree's verifying keys — the leaf programs' and the join's: the STARK key's digest, its
// preprocessed commitment and the program's public cells, which are what differs between
// recursion programs set up at the same heights. Given the allowlist's root r, a root
// proof that [Tree.VerifyRoot] accepts for (start, end, constants) says, by induction
// over the tree: there are leaf proofs under allowed leaf keys, in order, the first
// starting in start, each ending where the next starts, the last ending in end, all
// with these constants and vk_root r.
//
// A join's program reads vk_root and, per child: the child's key (digest, preprocessed
// root, public cells), the allowlist path of its entry, its public values and its proof.
// It checks, for each child, that the entry is in the allowlist under vk_root (the path's
// bits boolean), that the proof verifies under that key with those public values as its
// statement (verifier.EmitKey: the key's digest is what the transcript absorbs, the
// preprocessed root what the openings are checked against, the public cells where the
// memory-bus messages of the statement point), and across children: both vk_roots equal
// the join's, the first's end equals the second's start, the constants are equal. Its
// public values are [vk_root | first.start | second.end | constants].
//
// # Security
//
// No cycle: the join program does not contain the allowlist's root (it is an input and a
// public value), so the join's key exists before the allowlist that contains it. The
// root is fixed at the top: [Tree.VerifyRoot] computes the allowlist from the keys and
// refuses a root proof with another vk_root — a tree over another allowlist (one that
// admits another leaf program) has, at the same heights, the very same join program and
// key, so the key alone does not say which leaves were allowed. Each join then checks
// its children against the same root, so the whole tree is under the verifier's
// allowlist.
//
// One shape: every program of a tree is set up at the same table heights
// (recursion.SetupHeights): [NewTree] takes the largest heights of the leaves and the
// join, the join verifying children of those very heights (a fixed point, reached in two
// or three rounds since the join's size grows with the logarithm of the heights). The
// join's verifier takes the AIRs, layouts and heights as constants; [NewTree] checks that
// every key agrees with them, so a key whose entry is in the allowlist is verified
// exactly as the native verifier would.
//
// Range argument of what is new: every cell the join reads is read with InputBase (a
// base element, as the Perm and the memory-bus tuples need); path bits are asserted
// boolean (b² = b); everything else is Poseidon2 outputs, sums of base cells and the
// verifier's own checks. A child's public values enter its statement as (cell, v, 0, 0,
// 0), so a child whose publics are not base elements cannot be joined. The allowlist's
// depth is fixed by the program, so a path cannot stop at an inner node (internal nodes
// and entries are both compressions, separated by their depth).
//
// # The outer layer
//
// [Tree.Outer] makes the program that verifies a tree's root for the wrap circuit
// (proving/injector/wrap): it reads vk_root and the root's key, allowlist path, public
// values and proof, and makes exactly the checks a join makes of one child (the same
// emitted code): the key's entry hash.Elems(digest ‖ prep_root ‖ cells) is on a path of
// the allowlist's depth (bits boolean) to vk_root, the proof verifies under that key
// with those values as its statement, and the root's vk_root is the one read. Its
// publics are [vk_root | finish(root's cells)], [Finish] defaulting to
// [start | end | constants]. It is proved by the recursion AIR set under an engine
// with the outer hash (hash.Outer; [OuterParams]), which is what the wrap circuit
// verifies.
//
// Why vk_root stays a public value: the outer program, like the join, takes vk_root as
// an input, so it contains no allowlist and its key — hence the wrap circuit and its
// Groth16 keys — is fixed by the tree's shape (heights, layout, allowlist depth, the
// engine parameters) and the finish callback alone: one circuit serves every tree and
// every run of that shape. The price is the check [Tree.VerifyRoot] makes at the top:
// an outer proof, or a wrapped one, says only "a root proof under some allowlist r
// verifies with these outputs", and a tree over another allowlist (admitting another
// leaf program) gives the very same outer program. So the verifier must compare
// vk_root with the allowlist it trusts: [Outer.Verify] does (natively), and
// [Outer.Statement] puts the tree's root into the wrapped proof's statement digest, so
// a wrapped proof made under another allowlist does not verify against it. A verifier
// on chain must likewise compute the digest with the allowlist root it trusts, never
// take vk_root from the prover.
//
// The root may be a join or a leaf (a run of one segment): the allowlist admits both,
// and the outer program takes the key from cells. A root proof that does not verify,
// a key outside the allowlist, a forged public value or another vk_root make the outer
// program's execution fail, so no outer proof exists for them. The outer proofs'
// security is the outer engine's (its floors are checked by [Tree.Outer]); the whole
// chain is as sound as its weakest layer, docs/injector.md gives the figures.
//
// # Usage
//
//	tree, err := aggregate.NewTree(engine, aggregate.Layout{K: k, C: c}, leafPrograms...)
//	leaf, err := tree.ProveLeaf(i, inputs)          // per segment
//	root, err := tree.Aggregate(leaves)            // joins, in order
//	err = tree.VerifyRoot(root, start, end, consts) // the top-level check
//
//	outer, err := tree.Outer(aggregate.OuterParams, nil) // once per tree shape
//	op, err := outer.Prove(root)
//	outputs, err := outer.Verify(op)                // natively, vk_root checked
//	keys, err := outer.WrapSetup()                  // development keys
//	w, err := outer.Wrap(keys, op)
//	st, err := outer.Statement(outputs)             // under the tree's vk_root
//	err = wrap.Verify(keys.VK, keys.ID, w, st)
//
// # Performance
//
// A join is two verifier programs plus two allowlist paths and the linking (under 500
// instructions): its size is that of the verifier of a recursion proof at the tree's
// heights, twice. At [Params] (100 conjectured and 100 provable bits) a join of two toy
// leaves is 0.89M instructions on tables of 2^19 (arithmetic), 2^18 (leaf), 2^17
// (perm), 2^9 (bits), 2^16 (dot) and 2^17 (Poseidon2) rows, and proves in a third to a half
// of the time of a 2^20-cycle segment on the same machine (TestJoinFigures). The
// security of a tree's proofs is bounded by its heights: the arithmetic table must stay
// at or below 2^22 rows at blowup 2 for 100 bits. Figures at six parameter sets and the
// trade-off: docs/injector.md ("Aggregation").
//
// The outer program verifies one proof: for that tree, 0.45M instructions on tables of
// 2^18 (arithmetic) … 2^16 (Poseidon2) rows. At [OuterParams] (blowup 16, 20 queries)
// its proofs are 241 KB and take 6.5 minutes on two shared cores, and the wrap circuit
// that verifies them has 7.4M constraints, about 3.2M fixed plus 0.21M per query
// (TestOuterFigures; docs/injector.md, "The outer layer").
package aggregate
