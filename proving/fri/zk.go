package fri

import (
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/merkle"
	"github.com/oneiros-zk/oneiros/proving/pcs"
)

// SaltElems is the number of random field elements hashed into every leaf of a hiding
// commitment (about 124 bits).
const SaltElems = 4

// salt returns SaltElems random columns of height n in zero-knowledge mode when rng is
// given, nil otherwise.
func (s *PCS) salt(n int, rng *pcs.Rand) [][]field.Elem {
	if !s.params.ZK || rng == nil {
		return nil
	}
	cols := make([][]field.Elem, SaltElems)
	for c := range cols {
		cols[c] = rng.Column(n)
	}
	return cols
}

// saltLen is the salt length a verifier expects for a round (hiding or not) or a layer.
func (s *PCS) saltLen(hiding bool) int {
	if s.params.ZK && hiding {
		return SaltElems
	}
	return 0
}

// commitLayer commits a folded layer, salted in zero-knowledge mode.
func (s *PCS) commitLayer(m merkle.Matrix, rng *pcs.Rand) (*merkle.Tree, error) {
	m.Salt = s.salt(m.Height(), rng)
	return s.merkleCommit([]merkle.Matrix{m})
}

// Hiding implements pcs.Scheme: the number of queries in zero-knowledge mode, else 0.
func (s *PCS) Hiding() int {
	if !s.params.ZK {
		return 0
	}
	return s.params.NumQueries
}

// MaskLogN implements pcs.Scheme. The batched low-degree test reveals, per query, the
// committed matrices' rows (one point each) and in every committed layer a coset of 2^a
// values of the folded word (a ≤ LogArity the layer's arity), then the whole final
// polynomial. The STARK adds a random matrix of log height MaskLogN(logN) to the batch,
// opened at one point; for its random part to mask all of those values its degree bound
// 2^MaskLogN must exceed their number (see docs/security.md). The layers' arities sum to
// at most l + LogBlowup for an LDE of 2^(l+LogBlowup) points, and 2^a/a grows with a, so a
// query reveals at most 1 + ⌈2^A·(l + LogBlowup)/A⌉ values, A = LogArity. MaskLogN is the
// smallest l ≥ logN with NumQueries·that + 2^LogFinalPolyLen + 1 < 2^l.
func (s *PCS) MaskLogN(logN int) int { return s.params.MaskLogN(logN) }

// MaskLogN is the zero-knowledge mask's log height under these parameters (PCS.MaskLogN)
// for a tallest committed matrix of 2^logN rows; it reads no kernels.
func (p Params) MaskLogN(logN int) int {
	A := p.LogArity
	for l := max(logN, 0); ; l++ {
		perQuery := 1 + ((1<<A)*(l+p.LogBlowup)+A-1)/A
		need := p.NumQueries*perQuery + 1<<p.LogFinalPolyLen + 1
		if need < 1<<l || l+p.LogBlowup >= field.TwoAdicity {
			return l
		}
	}
}
