package verifier

import (
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// challenger replays package transcript's Challenger over the Narrow scheme (a duplex
// sponge over Poseidon2 width 16, rate 8, in overwrite mode) with Perm instructions:
// the same calls in the same order give the same challenges. Observed cells must be
// base elements (Perm refuses the others).
type challenger struct {
	o     *ops
	state [hash.Width]Var
	in    []Var
	out   []Var
}

// newChallenger starts the transcript of a STARK proof (transcript.New(stark.Tag)): the
// tag's digest in the capacity, permuted once. The start state is a constant.
func newChallenger(o *ops) *challenger {
	var st [hash.Width]field.Elem
	td := hash.Tagged("oneiros/transcript", []byte(stark.Tag))
	copy(st[hash.Rate:], td[:])
	hash.Permute(&st)
	c := &challenger{o: o}
	for i := range st {
		c.state[i] = o.cb(st[i])
	}
	return c
}

func (c *challenger) duplex() {
	copy(c.state[:len(c.in)], c.in)
	if len(c.in) < hash.Rate { // the domain bit of a partial block
		c.state[hash.Width-1] = c.o.add(c.state[hash.Width-1], c.o.one())
	}
	c.in = c.in[:0]
	c.state = c.o.b.Perm(c.state)
	c.out = append(c.out[:0], c.state[:hash.Rate]...)
}

func (c *challenger) observe(v ...Var) {
	c.out = c.out[:0]
	for _, x := range v {
		c.in = append(c.in, x)
		if len(c.in) == hash.Rate {
			c.duplex()
			c.out = c.out[:0]
		}
	}
}

// observeUint is ObserveUint of a constant: v mod 2^31 and v >> 31.
func (c *challenger) observeUint(v uint64) {
	c.observe(c.o.cb(field.New(v&(1<<31-1))), c.o.cb(field.New(v>>31)))
}

func (c *challenger) observeExt(v ...ext) {
	for _, x := range v {
		c.observe(x.c[:]...)
	}
}

func (c *challenger) observeDigest(d digest) { c.observe(d[:]...) }

func (c *challenger) sample() Var {
	if len(c.in) > 0 || len(c.out) == 0 {
		c.duplex()
	}
	x := c.out[len(c.out)-1]
	c.out = c.out[:len(c.out)-1]
	return x
}

// sampleExt is SampleExt: four draws, the coordinates of the element.
func (c *challenger) sampleExt() Var {
	var co [field.ExtDegree4]Var
	for i := range co {
		co[i] = c.sample()
	}
	return c.o.fromCoords(co)
}

// sampleBits is SampleBits: the low n bits of a draw, least significant first.
func (c *challenger) sampleBits(n int) []Var {
	bits := c.o.b.Bits(c.sample())
	return append([]Var(nil), bits[:n]...)
}

// checkWitness is CheckWitness: the nonce absorbed, and the low bits of the next draw
// zero (the draw is made for zero bits too).
func (c *challenger) checkWitness(bits int, nonce Var) {
	c.observe(nonce)
	x := c.sample()
	if bits == 0 {
		return
	}
	bs := c.o.b.Bits(x)
	for _, b := range bs[:bits] {
		c.o.eq(b, c.o.zero())
	}
}
