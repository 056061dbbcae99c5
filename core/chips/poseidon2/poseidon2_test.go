package poseidon2

import (
	"math/rand/v2"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

func randState(r *rand.Rand) [Width]field.Elem {
	var s [Width]field.Elem
	for i := range s {
		s[i] = field.New(r.Uint64N(field.Modulus))
	}
	return s
}

// The chip's step-by-step permutation is package hash's (gnark-crypto's).
func TestPermuteIsHashPermute(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 21))
	states := [][Width]field.Elem{{}}
	var minus [Width]field.Elem
	for i := range minus {
		minus[i] = field.New(field.Modulus - 1)
	}
	states = append(states, minus)
	for range 200 {
		states = append(states, randState(r))
	}
	for n, s := range states {
		want := s
		hash.Permute(&want)
		rounds := Permute(s)
		if got := rounds.Out(); got != want {
			t.Fatalf("state %d: chip permutation %v, hash.Permute %v", n, got, want)
		}
	}
}

func TestWidth(t *testing.T) {
	a := AIR()
	if got := len(a.Main); got != NumColumns {
		t.Fatalf("AIR has %d main columns, NumColumns is %d", got, NumColumns)
	}
	if d := a.MaxConstraintDegree(); d != 3 {
		t.Fatalf("constraint degree %d, want 3", d)
	}
}

// messages are a caller's: it sends each call's input and receives out (the true
// outputs unless changed).
func messages(calls []Call, out [][Width]field.Elem) []lookup.Message {
	var m []lookup.Message
	one := field.New(1)
	for i, c := range calls {
		in := []field.Elem{field.New(KindIn), field.New(uint64(c.Dom)), field.New(uint64(c.ID))}
		o := []field.Elem{field.New(KindOut), field.New(uint64(c.Dom)), field.New(uint64(c.ID))}
		in = append(in, c.In[:]...)
		o = append(o, out[i][:]...)
		m = append(m, lookup.Message{Bus: bus.Poseidon2.ID, Send: true, Mult: one, Tuple: in},
			lookup.Message{Bus: bus.Poseidon2.ID, Mult: one, Tuple: o})
	}
	return m
}

func calls(n int) ([]Call, [][Width]field.Elem) {
	r := rand.New(rand.NewPCG(uint64(n), 3))
	var cs []Call
	var outs [][Width]field.Elem
	for i := range n {
		c := Call{Dom: uint32(i % 2), ID: uint32(i), In: randState(r)}
		o := c.In
		hash.Permute(&o)
		cs = append(cs, c)
		outs = append(outs, o)
	}
	return cs, outs
}

func TestValid(t *testing.T) {
	for _, n := range []int{1, 5, 8} {
		cs, outs := calls(n)
		chiptest.MustProve(t, []chiptest.Table{{AIR: AIR(), Main: Trace(cs)}}, messages(cs, outs))
	}
}

func TestNoCalls(t *testing.T) {
	chiptest.MustProve(t, []chiptest.Table{{AIR: AIR(), Main: Trace(nil)}}, nil)
}

func TestTampered(t *testing.T) {
	one := field.New(1)
	cs, outs := calls(5)
	table := func() []chiptest.Table { return []chiptest.Table{{AIR: AIR(), Main: Trace(cs)}} }
	{ // The caller receives a wrong output.
		bad := append([][Width]field.Elem(nil), outs...)
		bad[2][7].Add(&bad[2][7], &one)
		chiptest.MustReject(t, "wrong output", table(), messages(cs, bad))
	}
	{ // The table's output column is changed (and the caller receives it).
		tb := table()
		bad := append([][Width]field.Elem(nil), outs...)
		bad[1][0] = field.New(12345)
		tb[0].Main[col.Full[FullRounds-1][0].Index][1] = bad[1][0]
		chiptest.MustReject(t, "forged output column", tb, messages(cs, bad))
	}
	for _, c := range []struct {
		name string
		idx  int
	}{
		{"full round", col.Full[1][9].Index},
		{"partial round", col.Partial[10].Index},
		{"input", col.In[3].Index},
	} {
		tb := table()
		v := &tb[0].Main[c.idx][3]
		v.Add(v, &one)
		chiptest.MustReject(t, "tampered "+c.name, tb, messages(cs, outs))
	}
	{ // A padding row that is not a permutation.
		tb := table()
		tb[0].Main[col.Partial[0].Index][6] = field.New(1)
		chiptest.MustReject(t, "bad padding row", tb, messages(cs, outs))
	}
	{ // Outputs of two calls swapped between their identifiers.
		bad := append([][Width]field.Elem(nil), outs...)
		bad[0], bad[1] = bad[1], bad[0]
		chiptest.MustReject(t, "swapped outputs", table(), messages(cs, bad))
	}
}
