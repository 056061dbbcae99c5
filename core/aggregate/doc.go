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
// # Usage
//
//	tree, err := aggregate.NewTree(engine, aggregate.Layout{K: k, C: c}, leafPrograms...)
//	leaf, err := tree.ProveLeaf(i, inputs)          // per segment
//	root, err := tree.Aggregate(leaves)            // joins, in order
//	err = tree.VerifyRoot(root, start, end, consts) // the top-level check
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
package aggregate
