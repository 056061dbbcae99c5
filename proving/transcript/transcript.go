package transcript

import (
	"fmt"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// Challenger is the Fiat–Shamir transcript: a duplex sponge over the Poseidon2
// permutation (width 16, rate 8, capacity 8). Prover and verifier make the same sequence
// of Observe and Sample calls; every value a verifier will see must be observed before
// any challenge that depends on it is sampled.
type Challenger struct {
	state  [hash.WideWidth]field.Elem // the first scheme.Width() elements are the sponge's state
	input  []field.Elem               // pending observations, fewer than the rate
	output []field.Elem               // squeezed elements not yet handed out
	ext    int                        // degree of the extension SampleExt draws from and ObserveExt absorbs
	scheme hash.Scheme                // the permutation (width 16, rate 8; or width 24, rate 12; or Outer)
	outer  fr.Element                 // the Outer scheme's state (see outer.go); unused by the others
}

// New starts a transcript bound to a protocol tag (domain separation): two transcripts
// with different tags never produce the same challenges.
// Its extension elements are of degree 4 and its sponge is the Narrow Poseidon2.
func New(tag string) *Challenger { return NewFor(tag, field.ExtDegree4, hash.Narrow) }

// NewFor is New with extension elements of degree d (4 or 6) and the sponge of hash
// scheme s (Narrow: width 16, rate 8, capacity 8; Wide: width 24, rate 12, capacity
// 12). Both are bound to the transcript: a degree other than 4 and the Wide scheme name
// the tag digest's domain, so no two configurations share challenges.
func NewFor(tag string, d int, s hash.Scheme) *Challenger {
	if !field.ValidExtDegree(d) || !s.Valid() {
		panic(fmt.Sprintf("transcript: extension degree %d, hash %v", d, s)) // invariant: parameters are validated
	}
	// The configuration is in the digest's domain, not in the tag's text: no tag of one
	// configuration can start the state of another.
	domain := "oneiros/transcript"
	if d != field.ExtDegree4 {
		domain += fmt.Sprintf("/ext%d", d)
	}
	if s != hash.Narrow {
		domain += "/" + s.String()
	}
	r := s.Rate()
	c := &Challenger{input: make([]field.Elem, 0, r), output: make([]field.Elem, 0, r), ext: d, scheme: s}
	td := hash.Tagged(domain, []byte(tag))
	if s == hash.Outer {
		c.outer = hash.OuterCompress(c.outer, hash.OuterPack(td[:]))
		return c
	}
	// The tag digest goes into the capacity so it never mixes with the data stream.
	copy(c.state[r:], td[:])
	s.Permute(c.state[:s.Width()])
	return c
}

// Scheme is the transcript's hash scheme.
func (c *Challenger) Scheme() hash.Scheme { return c.scheme }

// Clone returns an independent copy (used by the prover's proof-of-work search).
func (c *Challenger) Clone() *Challenger {
	d := *c
	d.input = append(make([]field.Elem, 0, c.scheme.Rate()), c.input...)
	d.output = append(make([]field.Elem, 0, c.scheme.Rate()), c.output...)
	return &d
}

func (c *Challenger) duplex() {
	if c.scheme == hash.Outer {
		c.duplexOuter()
		return
	}
	// Overwrite-mode absorption: pending inputs replace the first rate elements; a
	// domain bit in the last capacity element tells a full block from a partial one.
	w, r := c.scheme.Width(), c.scheme.Rate()
	copy(c.state[:len(c.input)], c.input)
	if len(c.input) < r {
		var one field.Elem
		one.SetOne()
		c.state[w-1].Add(&c.state[w-1], &one)
	}
	c.input = c.input[:0]
	c.scheme.Permute(c.state[:w])
	c.output = append(c.output[:0], c.state[:r]...)
}

// Observe absorbs field elements.
func (c *Challenger) Observe(v ...field.Elem) {
	c.output = c.output[:0]
	for _, x := range v {
		c.input = append(c.input, x)
		if len(c.input) == c.scheme.Rate() {
			c.duplex()
			c.output = c.output[:0]
		}
	}
}

// ObserveUint absorbs an integer below 2^62 as two elements.
func (c *Challenger) ObserveUint(v uint64) {
	c.Observe(field.New(v&(1<<31-1)), field.New(v>>31))
}

// ExtDegree is the degree of the transcript's extension elements.
func (c *Challenger) ExtDegree() int { return c.ext }

// ObserveExt absorbs extension elements (of the transcript's degree, or base elements:
// their ExtDegree coordinates either way).
func (c *Challenger) ObserveExt(v ...field.Ext) {
	for i := range v {
		if !v[i].InDegree(c.ext) {
			panic(fmt.Sprintf("transcript: a degree-%d element observed by a degree-%d transcript", v[i].Degree(), c.ext)) // invariant
		}
		co := field.ExtCoords(&v[i])
		c.Observe(co[:c.ext]...)
	}
}

// ObserveDigest absorbs a (Narrow) digest: the verifying key's, a claim's.
func (c *Challenger) ObserveDigest(d hash.Digest) { c.Observe(d[:]...) }

// ObserveNode absorbs a commitment of the transcript's scheme (its DigestLen elements;
// an Outer commitment as its one F_r element, see outer.go).
func (c *Challenger) ObserveNode(n hash.Node) {
	if c.scheme == hash.Outer {
		c.observeOuterNode(n)
		return
	}
	c.Observe(n[:c.scheme.DigestLen()]...)
}

// Sample squeezes one base-field element.
func (c *Challenger) Sample() field.Elem {
	if len(c.input) > 0 || len(c.output) == 0 {
		c.duplex()
	}
	x := c.output[len(c.output)-1]
	c.output = c.output[:len(c.output)-1]
	return x
}

// SampleExt squeezes an extension element of the transcript's degree.
func (c *Challenger) SampleExt() field.Ext {
	var co [field.MaxExtDegree]field.Elem
	for i := range c.ext {
		co[i] = c.Sample()
	}
	return field.ExtFromCoords(co[:c.ext])
}

// MaxBits is the most bits SampleBits and proof of work take: p = 127·2^24 + 1, so the
// low 24 bits of a uniform element are uniform up to a bias of 1/p, and a 24-bit proof
// of work finds a nonce among the p one-element nonces except with probability e^−127.
const MaxBits = 24

// SampleBits squeezes an integer in [0, 2^bits), bits ≤ MaxBits (callers validate it:
// FRI's query positions are at most the two-adicity 24, grinding is validated ≤ 24).
func (c *Challenger) SampleBits(bits int) int {
	if bits < 0 || bits > MaxBits {
		panic(fmt.Sprintf("transcript: SampleBits(%d) outside [0, %d]", bits, MaxBits)) // invariant of callers
	}
	x := c.Sample()
	return int(x.Uint64() & (1<<bits - 1))
}

// CheckWitness reports whether nonce is a valid proof of work of the given bits at this
// point of the transcript, and absorbs it (so it must be called exactly once, by both
// sides, at the same point). bits outside [0, MaxBits] is never valid (it never panics).
func (c *Challenger) CheckWitness(bits int, nonce field.Elem) bool {
	c.Observe(nonce)
	if bits < 0 || bits > MaxBits {
		return false
	}
	return c.SampleBits(bits) == 0
}

// Grind finds the smallest nonce that satisfies CheckWitness for bits ≤ MaxBits, without
// changing c. The expected work is 2^bits permutations.
func (c *Challenger) Grind(bits int) field.Elem {
	if bits < 0 || bits > MaxBits {
		panic(fmt.Sprintf("transcript: Grind(%d) outside [0, %d]", bits, MaxBits)) // invariant: parameters are validated
	}
	for n := uint64(0); ; n++ {
		nonce := field.New(n)
		if c.Clone().CheckWitness(bits, nonce) {
			return nonce
		}
	}
}

// GrindParallel is Grind on up to workers goroutines: it returns the same nonce (the
// smallest), so the proof bytes do not depend on workers.
func (c *Challenger) GrindParallel(bits, workers int) field.Elem {
	if workers <= 1 || bits < 12 {
		return c.Grind(bits)
	}
	if bits > MaxBits {
		panic(fmt.Sprintf("transcript: Grind(%d) outside [0, %d]", bits, MaxBits)) // invariant: parameters are validated
	}
	const block = 1 << 12
	found := make([]uint64, workers)
	for base := uint64(0); ; base += uint64(workers) * block {
		var wg sync.WaitGroup
		for w := range workers {
			found[w] = ^uint64(0)
			wg.Add(1)
			go func() {
				defer wg.Done()
				lo := base + uint64(w)*block
				for n := lo; n < lo+block; n++ {
					if c.Clone().CheckWitness(bits, field.New(n)) {
						found[w] = n
						return
					}
				}
			}()
		}
		wg.Wait()
		for _, n := range found { // blocks in order: the first hit is the smallest
			if n != ^uint64(0) {
				return field.New(n)
			}
		}
	}
}
