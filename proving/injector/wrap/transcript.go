package wrap

import (
	"math/big"

	"github.com/consensys/gnark/frontend"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/transcript"
)

// challenger replays, in the circuit, package transcript's Challenger over the Outer
// scheme (see proving/transcript/outer.go): the same calls in the same order give the
// same challenges. Observed elements must be canonical (they are: witnesses are range
// checked when they enter, constants are reduced).
type challenger struct {
	o   *ops
	s   frontend.Variable
	in  []elem
	out []elem
}

// newChallenger starts the transcript of a STARK proof over the Outer scheme and the
// degree-4 extension: its start state is a constant (the tag digest absorbed).
func newChallenger(o *ops) *challenger {
	st := transcript.NewFor(stark.Tag, field.ExtDegree4, hash.Outer).OuterState()
	return &challenger{o: o, s: st.BigInt(new(big.Int))}
}

func (c *challenger) duplex() {
	var w frontend.Variable = 0
	if len(c.in) > 0 {
		w = c.o.pack(c.in)
	}
	c.in = c.in[:0]
	c.s = c.o.compress(c.s, w)
	d := c.o.draws(c.s)
	c.out = append(c.out[:0], d[:]...)
}

func (c *challenger) observe(v ...elem) {
	for _, x := range v {
		c.out = c.out[:0]
		c.in = append(c.in, c.o.red(x))
		if len(c.in) == hash.OuterRate {
			c.duplex()
			c.out = c.out[:0]
		}
	}
}

// observeUint is ObserveUint of a constant: two elements, v mod 2^31 and v >> 31.
func (c *challenger) observeUint(v uint64) {
	c.observe(c.o.ce(field.New(v&(1<<31-1))), c.o.ce(field.New(v>>31)))
}

func (c *challenger) observeExt(v ...ext) {
	for _, x := range v {
		c.observe(x[:]...)
	}
}

// observeNode absorbs a commitment (an F_r variable).
func (c *challenger) observeNode(n frontend.Variable) {
	if len(c.in) > 0 {
		c.duplex()
	}
	c.s = c.o.compress(c.s, n)
	c.out = c.out[:0]
}

func (c *challenger) sample() elem {
	if len(c.in) > 0 || len(c.out) == 0 {
		c.duplex()
	}
	x := c.out[len(c.out)-1]
	c.out = c.out[:len(c.out)-1]
	return x
}

func (c *challenger) sampleExt() ext {
	var e ext
	for i := range e {
		e[i] = c.sample()
	}
	return e
}

// sampleBits returns the low n bits (n ≤ 24) of a draw, least significant first.
func (c *challenger) sampleBits(n int) []frontend.Variable {
	x := c.sample()
	if n == 0 {
		return nil
	}
	return c.o.bits(x, 31)[:n]
}

// checkWitness absorbs the nonce and asserts that the next draw has its low bits zero
// (Challenger.CheckWitness; the draw is made for zero bits too).
func (c *challenger) checkWitness(bits int, nonce elem) {
	c.observe(nonce)
	for _, b := range c.sampleBits(bits) {
		c.o.api.AssertIsEqual(b, 0)
	}
}
