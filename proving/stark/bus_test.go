package stark_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// lenBus carries tuples of two lengths in TestTupleLengthBound.
var lenBus = air.Bus{ID: 7, Name: "lengths"}

// shortLong is a sender of (x) and a receiver of (x, 0), x = 0…2^logN − 1, on one bus.
func shortLong(logN int) []starktest.Table {
	n := 1 << logN
	s := air.NewBuilder("short")
	x := s.Main("x")
	s.Send("x", lenBus, []air.Expr{x.Cur}, s.ConstInt(1))
	r := air.NewBuilder("long")
	y, z := r.Main("x"), r.Main("z")
	r.Assert("z_zero", z.Cur)
	r.Receive("xz", lenBus, []air.Expr{y.Cur, z.Cur}, r.ConstInt(1))
	xs, ys, zs := make([]field.Elem, n), make([]field.Elem, n), make([]field.Elem, n)
	for i := range n {
		xs[i], ys[i] = field.New(uint64(i)), field.New(uint64(i))
	}
	return []starktest.Table{
		{AIR: s.MustBuild(), Main: [][]field.Elem{xs}},
		{AIR: r.MustBuild(), Main: [][]field.Elem{ys, zs}},
	}
}

// The fingerprint binds the tuple's length: sending (x) and receiving (x, 0) does not
// balance the bus (it did when a tuple was compressed as Σ β^(l+1)·t_l alone).
func TestTupleLengthBound(t *testing.T) {
	s := build(t, testParams, shortLong(4), nil)
	p := s.prove(t)
	var se *stark.Error
	if err := s.verify(p); !errors.As(err, &se) || se.Check != "bus" {
		t.Fatalf("(x) sent, (x, 0) received: %v", err)
	}
}

// Bus ids are field elements: p + b would alias bus b, so ids ≥ p are refused by Setup
// (AIRs) and by the verifier and the prover (public messages).
func TestBusIDBelowP(t *testing.T) {
	b := air.NewBuilder("far")
	x := b.Main("x")
	b.Send("x", air.Bus{ID: field.Modulus + 7, Name: "alias of 7"}, []air.Expr{x.Cur}, b.ConstInt(1))
	e := build(t, testParams, []starktest.Table{starktest.Fib(3)}, nil).e
	if _, _, err := e.Setup([]*air.AIR{b.MustBuild()}, [][][]field.Elem{nil}); err == nil || !strings.Contains(err.Error(), "not below p") {
		t.Errorf("bus id p + 7: %v", err)
	}

	s := newSystem(t, testParams)
	p := s.prove(t)
	bad := append([]lookup.Message(nil), s.bus...)
	bad[0].Bus = starktest.PublicBus.ID + field.Modulus
	var se *stark.Error
	if err := s.e.Verify(s.vk, p, s.witness.Publics, bad); !errors.As(err, &se) || se.Check != "bus" || !strings.Contains(err.Error(), "not below p") {
		t.Errorf("public message on bus p + 3: %v", err)
	}
	w := *s.witness
	w.Bus = bad
	if _, err := s.e.Prove(s.pk, &w); err == nil || !strings.Contains(err.Error(), "not below p") {
		t.Errorf("prover, public message on bus p + 3: %v", err)
	}
}

// A bus whose message slots (height × interactions, over every table) reach p is
// rejected before anything else: multiplicity sums could wrap around p.
func TestBusCapacity(t *testing.T) {
	b := air.NewBuilder("wide_sender")
	x := b.Main("x")
	for i := range 256 {
		b.Send("x"+string(rune('a'+i/26))+string(rune('a'+i%26)), lenBus, []air.Expr{x.Cur}, b.ConstInt(1))
	}
	e := build(t, testParams, []starktest.Table{starktest.Fib(3)}, nil).e
	_, vk, err := e.Setup([]*air.AIR{b.MustBuild()}, [][][]field.Elem{nil})
	if err != nil {
		t.Fatal(err)
	}
	var se *stark.Error
	// 2^23 rows × 256 interactions = 2^31 ≥ p.
	proof := &stark.Proof{LogN: []int{23}, CumSums: make([]field.Ext, 1)}
	err = stark.Verify(e.Config(), vk, proof, [][]field.Elem{nil}, nil)
	if !errors.As(err, &se) || se.Check != "bus" || !strings.Contains(err.Error(), "multiplicity sums could wrap") {
		t.Errorf("2^31 slots: %v", err)
	}
	// 2^22 rows × 256 = 2^30 < p passes the bus check (and fails later, on the empty proof).
	proof.LogN[0] = 22
	if err := stark.Verify(e.Config(), vk, proof, [][]field.Elem{nil}, nil); !errors.As(err, &se) || se.Check == "bus" && strings.Contains(err.Error(), "wrap") {
		t.Errorf("2^30 slots: %v", err)
	}
}
