package verifyshape_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
	"github.com/oneiros-zk/oneiros/proving/verifyshape"
)

var testParams = hemera.Params{FRI: fri.Params{LogBlowup: 1, NumQueries: 3, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 1,
	LogUpGrindingBits: 1, DEEPGrindingBits: 1}, Workers: 2}

// squares is an optional table with preprocessed columns (x, x²) of height 2^logN,
// received on its own bus: absent, its preprocessed matrix is opened nowhere.
func squares(logN int) starktest.Table {
	b := air.NewBuilder("squares")
	x, sq, m := b.Preprocessed("x"), b.Preprocessed("x2"), b.Main("mult")
	b.Receive("pair", air.Bus{ID: 9, Name: "squares"}, []air.Expr{x.Cur, sq.Cur}, m.Cur)
	n := 1 << logN
	prep := [][]field.Elem{make([]field.Elem, n), make([]field.Elem, n)}
	for i := range n {
		prep[0][i] = field.New(uint64(i))
		prep[1][i].Square(&prep[0][i])
	}
	return starktest.Table{AIR: b.MustBuild(), Prep: prep}
}

// system is a key of seven tables — fib (public values), wide, bytes, range8
// (preprocessed, 2^8 rows), sender, receiver and the optional squares (preprocessed,
// 2^sqLogN rows) — with heights for all present, and its statement.
type system struct {
	vk      *stark.VerifyingKey
	logN    []int
	publics [][]field.Elem
	bus     []lookup.Message
}

const fib, wide, bytesT, range8, sender, receiver, sq = 0, 1, 2, 3, 4, 5, 6

func newSystem(t *testing.T, sqLogN int) *system {
	t.Helper()
	e, err := hemera.New(testParams)
	if err != nil {
		t.Fatal(err)
	}
	bt, _ := starktest.Bytes(4, 2)
	tables := []starktest.Table{starktest.Fib(3), starktest.Wide(0, 6, 2), bt, starktest.Range8(make([]uint64, 256)),
		starktest.Sender(4), starktest.Receiver(4), squares(sqLogN)}
	var airs []*air.AIR
	var prep [][][]field.Elem
	s := &system{}
	for _, tb := range tables {
		airs, prep = append(airs, tb.AIR), append(prep, tb.Prep)
		s.publics = append(s.publics, tb.Publics)
	}
	_, s.vk, err = e.Setup(airs, prep, []bool{false, false, false, false, false, false, true})
	if err != nil {
		t.Fatal(err)
	}
	s.logN = []int{3, 0, 4, 8, 4, 3, sqLogN}
	s.bus = starktest.SenderPublic()
	return s
}

func (s *system) heights(t, logN int) []int {
	h := slices.Clone(s.logN)
	h[t] = logN
	return h
}

func TestDerive(t *testing.T) {
	s := newSystem(t, 2)
	sh, err := verifyshape.New(s.vk, testParams, s.logN, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	B := testParams.FRI.LogBlowup
	if !slices.Equal(sh.Present, []int{0, 1, 2, 3, 4, 5, 6}) || !sh.HasAux || sh.MaxTuple != lookup.MaxTuple(s.vk.AIRs, s.bus) {
		t.Fatalf("present %v, aux %v, max tuple %d", sh.Present, sh.HasAux, sh.MaxTuple)
	}
	if len(sh.Rounds) != 4 || sh.MainRound() != 1 || sh.AuxRound() != 2 || sh.QuotRound() != 3 {
		t.Fatalf("%d rounds, main %d aux %d quotient %d", len(sh.Rounds), sh.MainRound(), sh.AuxRound(), sh.QuotRound())
	}
	if !slices.Equal(sh.Rounds[0].Tables, []int{range8, sq}) || !slices.Equal(sh.Rounds[0].Widths, []int{1, 2}) {
		t.Fatalf("preprocessed round %v widths %v", sh.Rounds[0].Tables, sh.Rounds[0].Widths)
	}
	if !slices.Equal(sh.Rounds[sh.AuxRound()].Tables, []int{bytesT, range8, sender, receiver, sq}) {
		t.Fatalf("aux round %v", sh.Rounds[sh.AuxRound()].Tables)
	}
	logMax := 0
	for r, rd := range sh.Rounds {
		for m, t2 := range rd.Tables {
			want := 2
			if r == sh.QuotRound() {
				want = 1
			}
			if rd.Lists[m] != want || rd.LogLDE[m] != s.logN[t2]+B || sh.Matrix(r, t2) != m {
				t.Fatalf("round %d matrix %d (table %d): %d lists, log LDE %d", r, m, t2, rd.Lists[m], rd.LogLDE[m])
			}
			if r == sh.MainRound() && rd.Widths[m] != len(s.vk.AIRs[t2].Main) {
				t.Fatalf("main matrix of table %d: width %d", t2, rd.Widths[m])
			}
			g := sh.Groups[rd.Group[m]]
			if g.LogL != rd.LogLDE[m] || g.Two != (want == 2 && s.logN[t2] > 0) {
				t.Fatalf("round %d matrix %d in group %+v", r, m, g)
			}
			logMax = max(logMax, rd.LogLDE[m])
		}
	}
	if sh.Matrix(0, fib) != -1 {
		t.Fatal("fib has a preprocessed matrix")
	}
	for i, g := range sh.Groups {
		if slices.Index(sh.Groups, g) != i {
			t.Fatalf("group %+v twice", g)
		}
	}
	// wide has one row: its main matrix is opened at ζ alone (ζ·ω = ζ).
	if g := sh.Groups[sh.Rounds[sh.MainRound()].Group[sh.Matrix(sh.MainRound(), wide)]]; g.Two {
		t.Fatalf("a one-row table's group %+v", g)
	}
	sum := 0
	for _, a := range sh.Arities {
		sum += a
	}
	if sh.LogMax != logMax || sh.LogMax-sum != sh.LogFinal {
		t.Fatalf("schedule %d → %d by %v, the largest height %d", sh.LogMax, sh.LogFinal, sh.Arities, logMax)
	}
	if n := len(verifyshape.Statement(s.publics, s.bus)); sh.StatementLen() != n || n != 3+2*2 {
		t.Fatalf("statement of %d elements, StatementLen %d", n, sh.StatementLen())
	}
}

// An absent optional table with preprocessed columns: its preprocessed matrix stays in
// the commitment, at its height, with no lists and no group; it must not be the only
// matrix at the largest height.
func TestAbsentPreprocessed(t *testing.T) {
	s := newSystem(t, 2)
	sh, err := verifyshape.New(s.vk, testParams, s.heights(sq, stark.Absent), s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	rd := sh.Rounds[0]
	if m := sh.Matrix(0, sq); m < 0 || rd.Lists[m] != 0 || rd.Group[m] != -1 || rd.LogLDE[m] != 2+testParams.FRI.LogBlowup {
		t.Fatalf("the absent table's preprocessed matrix: %+v", rd)
	}
	if slices.Contains(sh.Present, sq) || sh.Matrix(sh.MainRound(), sq) >= 0 {
		t.Fatal("the absent table is present")
	}
	// stark.Setup refuses such a key (an optional preprocessed table taller than every
	// required one); New refuses its shapes all the same.
	tall := *s.vk
	tall.PrepLogN = slices.Clone(tall.PrepLogN)
	tall.PrepLogN[sq] = 10
	if _, err := verifyshape.New(&tall, testParams, s.heights(sq, stark.Absent), s.publics, s.bus); err == nil || !strings.Contains(err.Error(), "largest height") {
		t.Fatalf("an unopened matrix alone at the largest height: %v", err)
	}
}

func TestRefusals(t *testing.T) {
	s := newSystem(t, 2)
	floors := testParams
	floors.MinSecurityBits = 200
	badBus := slices.Clone(s.bus)
	badBus[0].Bus = field.Modulus
	fewer := slices.Clone(s.publics)
	fewer[fib] = fewer[fib][:2]
	for _, c := range []struct {
		name    string
		p       hemera.Params
		logN    []int
		publics [][]field.Elem
		bus     []lookup.Message
		want    string
	}{
		{"heights", testParams, s.logN[:3], s.publics, s.bus, "3 heights and 7 public value lists for 7 tables"},
		{"publics", testParams, s.logN, fewer, s.bus, "table fib: 2 public values, the AIR declares 3"},
		{"absent", testParams, s.heights(wide, stark.Absent), s.publics, s.bus, "table wide is absent but not optional"},
		{"negative", testParams, s.heights(wide, -2), s.publics, s.bus, "table wide: height 2^-2 out of range"},
		{"too tall", testParams, s.heights(wide, field.TwoAdicity), s.publics, s.bus, "out of range"},
		{"preprocessed", testParams, s.heights(range8, 7), s.publics, s.bus, "table range8: height 2^7, preprocessed height 2^8"},
		{"floors", floors, s.logN, s.publics, s.bus, "below the floors 200"},
		{"bus id", testParams, s.logN, s.publics, badBus, "not below p"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := verifyshape.New(s.vk, c.p, c.logN, c.publics, c.bus); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}
