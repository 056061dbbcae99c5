package stark_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/ntt"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// zkParams are testParams in zero-knowledge mode.
var zkParams = func() hemera.Params {
	p := testParams
	p.FRI.ZK = true
	return p
}()

// withSeed rebuilds the system's engine with a fixed masking seed (the keys do not
// depend on it).
func withSeed(t testing.TB, s *system, seed byte) *system {
	t.Helper()
	e, err := hemera.New(s.e.Params(), hemera.WithSeed([32]byte{seed}))
	if err != nil {
		t.Fatal(err)
	}
	s.e = e
	return s
}

// Honest zero-knowledge proofs verify: six tables with preprocessed columns, LogUp
// columns and public bus messages, under several parameter sets, through the encoding;
// and single tables from one row to 2^10.
func TestZKCompleteness(t *testing.T) {
	for _, p := range []hemera.Params{
		zkParams,
		{FRI: fri.Params{LogBlowup: 2, NumQueries: 12, GrindingBits: 0, LogArity: 1, LogFinalPolyLen: 0, ZK: true}, Workers: 1},
		{FRI: fri.Params{LogBlowup: 1, NumQueries: 8, GrindingBits: 2, LogArity: 4, LogFinalPolyLen: 6, ZK: true}, Workers: 3},
	} {
		s := newSystem(t, p)
		proof := s.prove(t)
		if err := s.verify(proof); err != nil {
			t.Fatalf("%+v: honest zero-knowledge proof rejected: %v", p.FRI, err)
		}
		dec, err := stark.Decode(proof.Encode())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.verify(dec); err != nil {
			t.Fatalf("decoded zero-knowledge proof rejected: %v", err)
		}
	}
	for name, tb := range map[string]starktest.Table{
		"fib-1row":  starktest.Fib(0),
		"fib-2rows": starktest.Fib(1),
		"fib-large": starktest.Fib(10),
		"wide":      starktest.Wide(4, 40, 10),
	} {
		s := build(t, zkParams, []starktest.Table{tb}, nil)
		if err := s.verify(s.prove(t)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// A seed fixes a zero-knowledge proof whatever the worker count; without one, two proofs
// of the same witness differ; a zero-knowledge proof is rejected by a verifier that is
// not in zero-knowledge mode, and the other way round.
func TestZKSeedAndMode(t *testing.T) {
	a := withSeed(t, newSystem(t, zkParams), 7).prove(t).Encode()
	p3 := zkParams
	p3.Workers = 3
	b := withSeed(t, newSystem(t, p3), 7).prove(t).Encode()
	if !bytes.Equal(a, b) {
		t.Fatal("a seeded zero-knowledge proof depends on the run or on the worker count")
	}
	if c := withSeed(t, newSystem(t, zkParams), 8).prove(t).Encode(); bytes.Equal(a, c) {
		t.Fatal("two seeds gave the same proof")
	}
	s := newSystem(t, zkParams)
	if bytes.Equal(s.prove(t).Encode(), s.prove(t).Encode()) {
		t.Fatal("two unseeded zero-knowledge proofs are equal")
	}
	plain := newSystem(t, testParams)
	zk := newSystem(t, zkParams)
	mustReject(t, "zero-knowledge proof, plain verifier", plain.verify(zk.prove(t)))
	mustReject(t, "plain proof, zero-knowledge verifier", zk.verify(plain.prove(t)))
}

// Soundness is unchanged: a bad witness is rejected, and so is every tampered part of a
// zero-knowledge proof, salts and the mask's opening included.
func TestZKTampered(t *testing.T) {
	one := field.New(1)
	for ti := range 6 {
		s := newSystem(t, zkParams)
		m := s.witness.Main[ti]
		col, row := len(m)-1, len(m[0])/2+1
		m[col][row].Add(&m[col][row], &one)
		mustReject(t, "mutated cell of "+s.tables[ti].AIR.Name, s.verify(s.prove(t)))
	}
	{
		s := newSystem(t, zkParams)
		s.witness.Main[2][0][5] = field.New(300)
		mustReject(t, "byte 300", s.verify(s.prove(t)))
	}
	s := newSystem(t, zkParams)
	good := s.prove(t)
	if err := s.verify(good); err != nil {
		t.Fatal(err)
	}
	bump := func(e *field.Elem) { e.Add(e, &one) }
	friMutateZK := func(p *stark.Proof, f func(*fri.Proof)) {
		fp, err := fri.DecodeParams(p.PCS, zkParams.FRI)
		if err != nil {
			t.Fatal(err)
		}
		f(fp)
		p.PCS = fp.Encode()
	}
	cases := map[string]func(p *stark.Proof){
		"main root":      func(p *stark.Proof) { bump(&p.MainRoot[0]) },
		"aux root":       func(p *stark.Proof) { bump(&p.AuxRoot[1]) },
		"quotient root":  func(p *stark.Proof) { bump(&p.QuotRoot[2]) },
		"main opening":   func(p *stark.Proof) { bump(p.Values[1][1][0][3].Coord(3)) },
		"main next":      func(p *stark.Proof) { bump(p.Values[1][0][1][0].Coord(0)) },
		"aux opening":    func(p *stark.Proof) { bump(p.Values[2][1][1][2].Coord(1)) },
		"quotient chunk": func(p *stark.Proof) { bump(p.Values[3][4][0][5].Coord(0)) },
		"mask opening":   func(p *stark.Proof) { bump(p.Values[3][6][0][1].Coord(0)) },
		"mask dropped":   func(p *stark.Proof) { p.Values[3] = p.Values[3][:6] },
		"input salt":     func(p *stark.Proof) { friMutateZK(p, func(f *fri.Proof) { bump(&f.Queries[3].Inputs[1].Salts[2][1]) }) },
		"layer salt":     func(p *stark.Proof) { friMutateZK(p, func(f *fri.Proof) { bump(&f.Queries[1].Layers[0].Salts[0][3]) }) },
		"input row":      func(p *stark.Proof) { friMutateZK(p, func(f *fri.Proof) { bump(&f.Queries[7].Inputs[1].Rows[2][0]) }) },
		"salts dropped": func(p *stark.Proof) {
			friMutateZK(p, func(f *fri.Proof) { f.Queries[0].Inputs[2].Salts = nil })
		},
	}
	rejectMutations(t, s, good, cases)
}

// The rows a proof opens at the queries are the trace's own LDE rows without zero
// knowledge (the control), and never with it: each opened main-trace row is looked up
// among the rows of the unmasked trace's LDE on the committed domain.
func TestZKOpeningsHideTrace(t *testing.T) {
	for _, zk := range []bool{false, true} {
		p := testParams
		p.FRI.ZK = zk
		s := newSystem(t, p)
		proof := s.prove(t)
		fp, err := fri.DecodeParams(proof.PCS, p.FRI)
		if err != nil {
			t.Fatal(err)
		}
		const mainRound = 1 // after the preprocessed round
		for ti, m := range s.witness.Main {
			logN := proof.LogN[ti]
			// The table's committed LDE: logN (+ the zero-knowledge extension) + LogBlowup.
			ext := 0
			if zk {
				ext = zkExt(t, s, ti, logN)
			}
			logL := logN + ext + p.FRI.LogBlowup
			rows := map[string]bool{}
			lde := make([][]field.Elem, len(m))
			for c := range m {
				lde[c] = make([]field.Elem, 1<<logL)
				ntt.CosetLDE(lde[c], m[c], ext+p.FRI.LogBlowup, fri.Shift(logL), 1)
			}
			key := func(row []field.Elem) string { return fmt.Sprint(row) }
			for r := range 1 << logL {
				row := make([]field.Elem, len(m))
				for c := range m {
					row[c] = lde[c][r]
				}
				rows[key(row)] = true
			}
			found := 0
			for _, q := range fp.Queries {
				if rows[key(q.Inputs[mainRound].Rows[ti][:len(m)])] { // a LogUp blinding column follows
					found++
				}
			}
			switch {
			case !zk && found != len(fp.Queries):
				t.Errorf("without zero knowledge, %s: %d of %d opened rows are rows of the trace's LDE", s.tables[ti].AIR.Name, found, len(fp.Queries))
			case zk && found != 0:
				t.Errorf("zero knowledge, %s: %d of %d opened rows are rows of the unmasked trace's LDE", s.tables[ti].AIR.Name, found, len(fp.Queries))
			}
			if zk && len(fp.Queries[0].Inputs[mainRound].Salts[ti]) != fri.SaltElems {
				t.Errorf("zero knowledge, %s: opened row without its salt", s.tables[ti].AIR.Name)
			}
		}
	}
}

// zkExt is the zero-knowledge extension of table ti's trace (committed on
// H_(n·2^ext)), by package stark's rule.
func zkExt(t *testing.T, s *system, ti, logN int) int {
	t.Helper()
	return stark.ZKExt(s.vk, ti, logN, s.e.Params().FRI.NumQueries)
}

// loop is a table that sends and receives the same value x = row on one bus from every
// row: its honest LogUp sum is zero whatever the challenges.
func loop(name string, logN int) starktest.Table {
	b := air.NewBuilder(name)
	x := b.Main("x")
	bus := air.Bus{ID: 9, Name: "loop"}
	b.Send("out", bus, []air.Expr{x.Cur}, b.Const(1))
	b.Receive("in", bus, []air.Expr{x.Cur}, b.Const(1))
	col := make([]field.Elem, 1<<logN)
	for r := range col {
		col[r] = field.New(uint64(r))
	}
	return starktest.Table{AIR: b.MustBuild(), Main: [][]field.Elem{col}}
}

// In zero-knowledge mode the revealed LogUp sums are blinded: three tables whose honest
// sums are zero (the control, without zero knowledge) reveal nonzero, distinct sums that
// still add up to zero, different for each seed; a single table with LogUp columns has
// nothing to hide (its sum is minus the public messages') and reveals its own.
func TestZKLogUpSumsBlinded(t *testing.T) {
	tables := func() []starktest.Table {
		return []starktest.Table{loop("a", 3), loop("b", 4), starktest.Fib(3), loop("c", 2)}
	}
	plain := build(t, testParams, tables(), nil).prove(t)
	for ti, c := range plain.CumSums {
		if !c.IsZero() {
			t.Fatalf("without zero knowledge, table %d reveals %s, want its honest sum 0", ti, c.String())
		}
	}
	var first []field.Ext
	for seed := range byte(2) {
		s := withSeed(t, build(t, zkParams, tables(), nil), seed+1)
		p := s.prove(t)
		if err := s.verify(p); err != nil {
			t.Fatal(err)
		}
		var sum field.Ext
		for ti, c := range p.CumSums {
			sum.Add(&sum, &c)
			if ti == 2 { // fib: no interactions, nothing revealed
				if !c.IsZero() {
					t.Errorf("a table without interactions reveals %s", c.String())
				}
				continue
			}
			if c.IsZero() {
				t.Errorf("seed %d: table %d reveals its honest sum 0", seed, ti)
			}
			for tj := range ti {
				if tj != 2 && p.CumSums[tj] == c {
					t.Errorf("seed %d: tables %d and %d reveal the same sum", seed, tj, ti)
				}
			}
		}
		if !sum.IsZero() {
			t.Errorf("seed %d: the revealed sums add up to %s, want 0", seed, sum.String())
		}
		if first == nil {
			first = p.CumSums
		} else if first[0] == p.CumSums[0] {
			t.Error("two seeds blind a sum with the same offset")
		}
	}
	single := build(t, zkParams, []starktest.Table{loop("a", 3), starktest.Fib(2)}, nil)
	p := single.prove(t)
	if err := single.verify(p); err != nil {
		t.Fatal(err)
	}
	if !p.CumSums[0].IsZero() {
		t.Errorf("a lone table with LogUp columns reveals %s, want 0 (nothing to blind)", p.CumSums[0].String())
	}
}

// The blinded sums are bound: moving an amount from one table's revealed sum to
// another's keeps the bus balanced but breaks both last-row constraints; a zero-knowledge
// proof whose blinding column is dropped from the openings, or whose sums are replaced
// by the honest ones (zero here), is rejected.
func TestZKLogUpBlindingTampered(t *testing.T) {
	s := build(t, zkParams, []starktest.Table{loop("a", 3), loop("b", 4), loop("c", 2)}, nil)
	good := s.prove(t)
	if err := s.verify(good); err != nil {
		t.Fatal(err)
	}
	one := field.NewExt(field.New(1))
	cases := map[string]func(p *stark.Proof){
		"sum moved":   func(p *stark.Proof) { p.CumSums[0].Add(&p.CumSums[0], &one); p.CumSums[1].Sub(&p.CumSums[1], &one) },
		"honest sums": func(p *stark.Proof) { clear(p.CumSums) },
		"blinding column dropped": func(p *stark.Proof) {
			for i := range p.Values[0][1] {
				p.Values[0][1][i] = p.Values[0][1][i][:1]
			}
		},
		"blinding opening": func(p *stark.Proof) { p.Values[0][2][0][3].Add(&p.Values[0][2][0][3], &one) },
	}
	rejectMutations(t, s, good, cases)
}

// A table much shorter than the masks gets a few long quotient chunks (at most the power
// of two above its constraint degree), not one chunk per n coefficients of its masked
// quotient: a one-row table at 24 queries would otherwise open 512 quotient columns.
func TestZKShortTableQuotientChunks(t *testing.T) {
	for _, logN := range []int{0, 1, 3} {
		s := build(t, zkParams, []starktest.Table{starktest.Fib(logN)}, nil)
		p := s.prove(t)
		if err := s.verify(p); err != nil {
			t.Fatal(err)
		}
		quot := p.Values[len(p.Values)-1][0][0] // the quotient round, the table, at ζ
		if len(quot) > 4*4 {
			t.Errorf("2^%d rows: %d quotient columns opened, want at most 16 (4 chunks)", logN, len(quot))
		}
	}
}
