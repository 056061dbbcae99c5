package fri

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/kernel"
	"github.com/oneiros-zk/oneiros/proving/merkle"
	"github.com/oneiros-zk/oneiros/proving/ntt"
	"github.com/oneiros-zk/oneiros/proving/pcs"
	"github.com/oneiros-zk/oneiros/proving/transcript"
)

// PCS is the FRI-based polynomial commitment scheme: each batch of matrices is extended
// to coset LDEs (the coset of size 2^k has shift g^(2^(24−k)), so squaring maps cosets
// onto cosets) and committed in one mixed-matrix Merkle tree; openings are batched into
// one DEEP quotient per height and proven with one FRI run that rolls shorter heights in
// as folding reaches them.
type PCS struct {
	params  Params
	k       kernel.Kernels
	workers int
}

var _ pcs.Scheme = (*PCS)(nil)

// New returns the scheme with validated parameters.
func New(p Params, k kernel.Kernels, workers int) (*PCS, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &PCS{params: p, k: k, workers: max(workers, 1)}, nil
}

// Params returns the parameters.
func (s *PCS) Params() Params { return s.params }

// LogBlowup implements pcs.Scheme.
func (s *PCS) LogBlowup() int { return s.params.LogBlowup }

// ParamsTag separates the FRI parameters in the transcript from what follows them.
const ParamsTag = 0x465249 // "FRI"

// ZKTag follows the parameters in the transcript in zero-knowledge mode.
const ZKTag = 0x5A4B // "ZK"

// ExtTag follows the parameters (and ZKTag's pair) when the extension's degree is not 4;
// HashTag, with the scheme, when the hash is not the Narrow one.
const (
	ExtTag  = 0x4558 // "EX"
	HashTag = 0x4853 // "HS"
)

// ObserveParams implements pcs.Scheme: the tag, then log_blowup, num_queries,
// grinding_bits, fri_log_arity, log_final_poly_len, logup_grinding_bits and
// deep_grinding_bits; in zero-knowledge mode then ZKTag
// and SaltElems; with an extension of degree other than 4 then ExtTag and the degree;
// with the Wide hash then HashTag and the scheme (a transcript without them is the one of a non-zero-knowledge proof, as
// before the mode existed, and the verifying key's digest, which follows, can never be
// mistaken for them at a fixed position).
func (s *PCS) ObserveParams(tr *transcript.Challenger) {
	for _, w := range s.params.TranscriptWords() {
		tr.ObserveUint(w)
	}
}

// TranscriptWords are the values ObserveParams absorbs, in order, each with ObserveUint:
// a verifier emitted over another arithmetic (the wrap circuit, the recursion
// verifier) absorbs them as constants.
func (p Params) TranscriptWords() []uint64 {
	var w []uint64
	for _, v := range []int{ParamsTag, p.LogBlowup, p.NumQueries, p.GrindingBits, p.LogArity, p.LogFinalPolyLen,
		p.LogUpGrindingBits, p.DEEPGrindingBits} {
		w = append(w, uint64(v))
	}
	if p.ZK {
		w = append(w, ZKTag, SaltElems)
	}
	if p.Ext() != field.ExtDegree4 {
		w = append(w, ExtTag, uint64(p.Ext()))
	}
	if p.Hash != hash.Narrow {
		w = append(w, HashTag, uint64(p.Hash))
	}
	return w
}

// merkleCommit commits with the parameters' hash: the backend's kernel for the Narrow
// hash (the kernels implement that one), the host's Wide tree otherwise.
func (s *PCS) merkleCommit(mats []merkle.Matrix) (*merkle.Tree, error) {
	if s.params.Hash == hash.Narrow {
		return s.k.MerkleCommit(mats)
	}
	return merkle.CommitScheme(s.params.Hash, mats, s.workers)
}

// Hash implements pcs.Scheme: Params.Hash.
func (s *PCS) Hash() hash.Scheme { return s.params.Hash }

// ExtDegree implements pcs.Scheme: Params.Ext.
func (s *PCS) ExtDegree() int { return s.params.Ext() }

// Grinding implements pcs.Scheme: LogUpGrindingBits and DEEPGrindingBits.
func (s *PCS) Grinding() (logUp, deep int) {
	return s.params.LogUpGrindingBits, s.params.DEEPGrindingBits
}

// Shift returns the coset shift of an LDE of 2^logLDE points.
func Shift(logLDE int) field.Elem { return ntt.CosetShift(logLDE, field.TwoAdicity) }

type committed struct {
	tree   *merkle.Tree
	shifts []field.Elem
}

func (c *committed) Root() hash.Node { return c.tree.Root() }
func (c *committed) LDE(i int) ([][]field.Elem, field.Elem) {
	return c.tree.Matrices()[i].Cols, c.shifts[i]
}

// Commit implements pcs.Scheme. In zero-knowledge mode with a non-nil rng every LDE row
// gets SaltElems random salt elements in its leaf.
func (s *PCS) Commit(mats []pcs.Matrix, rng *pcs.Rand) (pcs.Committed, error) {
	return s.commit(mats, rng, false)
}

var _ pcs.Releaser = (*PCS)(nil)

// CommitReleasing implements pcs.Releaser: Commit, clearing mats[i] once matrix i's LDE
// is computed.
func (s *PCS) CommitReleasing(mats []pcs.Matrix, rng *pcs.Rand) (pcs.Committed, error) {
	return s.commit(mats, rng, true)
}

func (s *PCS) commit(mats []pcs.Matrix, rng *pcs.Rand, release bool) (pcs.Committed, error) {
	if len(mats) == 0 {
		return nil, fmt.Errorf("fri: nothing to commit")
	}
	c := &committed{shifts: make([]field.Elem, len(mats))}
	ldes := make([]merkle.Matrix, len(mats))
	for i, m := range mats {
		if len(m) == 0 {
			return nil, fmt.Errorf("fri: matrix %d has no columns", i)
		}
		logN := ntt.Log2(len(m[0]))
		if logN < 0 || logN+s.params.LogBlowup > field.TwoAdicity {
			return nil, fmt.Errorf("fri: matrix %d has height %d: want a power of two up to 2^%d", i, len(m[0]), field.TwoAdicity-s.params.LogBlowup)
		}
		c.shifts[i] = Shift(logN + s.params.LogBlowup)
		cols, err := s.k.CosetLDE(m, s.params.LogBlowup, c.shifts[i])
		if err != nil {
			return nil, fmt.Errorf("fri: LDE of matrix %d: %w", i, err)
		}
		ldes[i] = merkle.Matrix{Cols: cols, Salt: s.salt(len(cols[0]), rng)}
		if release {
			mats[i] = nil
		}
	}
	if release {
		runtime.GC() // the matrices let go: their pages take the tree's (see stark's collect)
	}
	tree, err := s.merkleCommit(ldes)
	if err != nil {
		return nil, fmt.Errorf("fri: commit: %w", err)
	}
	c.tree = tree
	return c, nil
}

// pointCache memoises per-domain tables shared by many matrices.
type pointCache struct {
	mu      sync.Mutex
	weights map[weightKey][]field.Vector // barycentric weights on the size-n prefix, by coordinate
	points  map[int][]field.Elem         // LDE points by log size (shift is implied)
}

type weightKey struct {
	logN int
	z    field.Ext
}

func newPointCache() *pointCache {
	return &pointCache{weights: map[weightKey][]field.Vector{}, points: map[int][]field.Elem{}}
}

// ldePoints returns the points of the coset LDE of log size logL, bit-reversed.
func (pc *pointCache) ldePoints(logL int) []field.Elem {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if p, ok := pc.points[logL]; ok {
		return p
	}
	p := ntt.CosetPoints(logL, Shift(logL))
	pc.points[logL] = p
	return p
}
