package wrap

import (
	"math/big"

	"github.com/consensys/gnark/frontend"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/injector/gadget"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/transcript"
)

// challenger replays, in the circuit, package transcript's Challenger over the Outer
// scheme (see proving/transcript/outer.go): the same calls in the same order give the
// same challenges. Observed elements must be canonical (they are: witnesses are range
// checked when they enter, constants are reduced).
//
// The draws of a state are made lazily: a duplex only sets the state and makes its
// four draws available (left = 4); the draws themselves (the state's 254 canonical
// bits, gadget.Draws) are built when the first of them is sampled. A state that is
// overwritten before any sample (every duplex made while observing) costs no
// decomposition: the native transcript computes its draws and throws them away, and
// discarded values constrain nothing, so the challenges are the same.
type challenger struct {
	o     *ops
	s     frontend.Variable
	in    []elem
	left  int                     // draws of s not yet sampled (the native output buffer's length)
	draws *[gadget.DrawCount]elem // the draws of s, once one is sampled; nil before
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
	c.left, c.draws = gadget.DrawCount, nil
}

func (c *challenger) observe(v ...elem) {
	for _, x := range v {
		c.left = 0
		c.in = append(c.in, c.o.red(x))
		if len(c.in) == hash.OuterRate {
			c.duplex()
			c.left = 0
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
	c.left = 0
}

// sample pops the last unsampled draw of the state (duplexing first when input is
// pending or the draws are used up), building the state's draws on first use.
func (c *challenger) sample() elem {
	if len(c.in) > 0 || c.left == 0 {
		c.duplex()
	}
	if c.draws == nil {
		d := c.o.draws(c.s)
		c.draws = &d
	}
	c.left--
	return c.draws[c.left]
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
