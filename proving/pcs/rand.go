package pcs

import (
	crand "crypto/rand"
	"fmt"
	"math/rand/v2"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// Rand is the prover's source of masking randomness in zero-knowledge mode: Merkle salts,
// random trace rows, quotient masks. It is ChaCha8 (math/rand/v2, a cryptographically
// strong generator) keyed by 32 bytes from crypto/rand, or by a fixed seed when proofs
// must be reproducible (tests, cross-backend comparisons) — a proof made with a seed the
// verifier can guess hides nothing. Not safe for concurrent use: the prover draws from it
// in a fixed order, so a seeded proof is the same bytes on every backend.
type Rand struct {
	c *rand.ChaCha8
}

// NewRand returns a generator keyed by seed, or by fresh bytes from crypto/rand when
// seed is nil.
func NewRand(seed *[32]byte) (*Rand, error) {
	var k [32]byte
	if seed != nil {
		k = *seed
	} else if _, err := crand.Read(k[:]); err != nil {
		return nil, fmt.Errorf("pcs: reading a seed from crypto/rand: %w", err)
	}
	return &Rand{c: rand.NewChaCha8(k)}, nil
}

// Elem returns a uniform field element (rejection sampling: exactly uniform).
func (r *Rand) Elem() field.Elem {
	for {
		v := r.c.Uint64()
		for range 2 {
			x := v & (1<<31 - 1)
			if x < field.Modulus {
				return field.New(x)
			}
			v >>= 32
		}
	}
}

// Fill sets every element of v to a fresh uniform element.
func (r *Rand) Fill(v []field.Elem) {
	for i := range v {
		v[i] = r.Elem()
	}
}

// Column returns n fresh uniform elements.
func (r *Rand) Column(n int) []field.Elem {
	v := make([]field.Elem, n)
	r.Fill(v)
	return v
}
