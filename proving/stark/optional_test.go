package stark_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// TestOptionalTableWithPublicsRefused: a table left out of a proof has no trace that
// could constrain its public values, so the verifier would accept any (the audit proved
// a program without I/O with input_len 123456 that way). Setup refuses such a table.
func TestOptionalTableWithPublicsRefused(t *testing.T) {
	fib := starktest.Fib(4)
	if len(fib.AIR.Publics) == 0 {
		t.Fatal("the Fibonacci table has no public values")
	}
	e, err := hemera.New(testParams)
	if err != nil {
		t.Fatal(err)
	}
	wide := starktest.Wide(5, 8, 2)
	_, _, err = e.Setup([]*air.AIR{wide.AIR, fib.AIR}, [][][]field.Elem{nil, nil}, []bool{false, true})
	if err == nil || !strings.Contains(err.Error(), "public values") {
		t.Fatalf("an optional table with public values was accepted: %v", err)
	}
}

// squares is an optional lookup table with preprocessed columns: (x, x²) for the 2^logN
// values x, received on PairBus with multiplicity counts[x].
func squares(logN int, counts []uint64) starktest.Table {
	b := air.NewBuilder("squares")
	x, sq, m := b.Preprocessed("x"), b.Preprocessed("x2"), b.Main("mult")
	b.Receive("pair", starktest.PairBus, []air.Expr{x.Cur, sq.Cur}, m.Cur)
	n := 1 << logN
	prep, main := [][]field.Elem{make([]field.Elem, n), make([]field.Elem, n)}, [][]field.Elem{make([]field.Elem, n)}
	for i := range n {
		prep[0][i] = field.New(uint64(i))
		prep[1][i].Square(&prep[0][i])
		if i < len(counts) {
			main[0][i] = field.New(counts[i])
		}
	}
	return starktest.Table{AIR: b.MustBuild(), Main: main, Prep: prep}
}

// pairs sends (v, v²) on PairBus for each of its 2^logN values v (given by value).
func pairs(logN int, value func(r int) uint64) starktest.Table {
	b := air.NewBuilder("pairs")
	x, y := b.Main("x"), b.Main("y")
	b.Send("pair", starktest.PairBus, []air.Expr{x.Cur, y.Cur}, b.Const(1))
	n := 1 << logN
	m := [][]field.Elem{make([]field.Elem, n), make([]field.Elem, n)}
	for r := range n {
		m[0][r] = field.New(value(r))
		m[1][r].Square(&m[0][r])
	}
	return starktest.Table{AIR: b.MustBuild(), Main: m}
}

// optionalSystem is a range table (required, preprocessed), a table using it, and the
// optional pair: pairs looking up squares, an optional table with preprocessed columns.
func optionalSystem(t *testing.T) (*hemera.Engine, *stark.ProvingKey, *stark.VerifyingKey, *stark.Witness) {
	t.Helper()
	bytesT, counts := starktest.Bytes(6, 4)
	sends := pairs(5, func(r int) uint64 { return uint64(r * 7 % 256) })
	sqCounts := make([]uint64, 256)
	for r := range 32 {
		sqCounts[r*7%256]++
	}
	tables := []starktest.Table{starktest.Range8(counts), bytesT, sends, squares(8, sqCounts)}
	e, err := hemera.New(testParams)
	if err != nil {
		t.Fatal(err)
	}
	airs, prep, w := starktest.Collect(tables, nil)
	pk, vk, err := e.Setup(airs, prep, []bool{false, false, true, true})
	if err != nil {
		t.Fatal(err)
	}
	return e, pk, vk, w
}

// TestOptionalPreprocessedTable: an optional table with preprocessed columns proves when
// present and when absent (its preprocessed matrix then opened at no point), and a
// proof that looks it up while leaving it out is rejected.
func TestOptionalPreprocessedTable(t *testing.T) {
	e, pk, vk, w := optionalSystem(t)
	prove := func(what string, w *stark.Witness) *stark.Proof {
		t.Helper()
		p, err := e.Prove(pk, w)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		dec, err := stark.Decode(p.Encode())
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return dec
	}
	full := prove("both present", w)
	if err := e.Verify(vk, full, w.Publics, nil); err != nil {
		t.Fatalf("both present: %v", err)
	}
	none := *w
	none.Main = []([][]field.Elem){w.Main[0], w.Main[1], nil, nil}
	p := prove("both absent", &none)
	if err := e.Verify(vk, p, w.Publics, nil); err != nil {
		t.Fatalf("both absent: %v", err)
	}
	if p.LogN[3] != stark.Absent || len(p.Values[0]) != 2 || len(p.Values[0][1]) != 0 {
		t.Fatalf("the absent table's preprocessed matrix: height %d, %d matrices, %d points", p.LogN[3], len(p.Values[0]), len(p.Values[0][1]))
	}
	if len(p.Encode()) >= len(full.Encode()) {
		t.Errorf("leaving the tables out did not shrink the proof: %d ≥ %d bytes", len(p.Encode()), len(full.Encode()))
	}

	// A proof claiming values of the absent table's preprocessed columns.
	forged := *p
	forged.Values = append([][][][]field.Ext(nil), p.Values...)
	forged.Values[0] = [][][]field.Ext{p.Values[0][0], full.Values[0][1]}
	if err := e.Verify(vk, &forged, w.Publics, nil); !errors.Is(err, stark.ErrInvalidProof) {
		t.Errorf("values opened for an absent table: %v", err)
	}

	// The cheating prover: the lookups sent, the table that answers them left out. Every
	// commitment is the honest prover's, every other table balances.
	cheat := *w
	cheat.Main = []([][]field.Elem){w.Main[0], w.Main[1], w.Main[2], nil}
	p = prove("lookups into an absent table", &cheat)
	var se *stark.Error
	if err := e.Verify(vk, p, w.Publics, nil); !errors.As(err, &se) || se.Check != "bus" {
		t.Fatalf("lookups into an absent table: %v", err)
	}
}

// TestOptionalPreprocessedTooTall: an optional table with preprocessed columns taller
// than every required one would set the low-degree test's height while absent.
func TestOptionalPreprocessedTooTall(t *testing.T) {
	bytesT, counts := starktest.Bytes(6, 4)
	e, err := hemera.New(testParams)
	if err != nil {
		t.Fatal(err)
	}
	r8, sq := starktest.Range8(counts), squares(9, nil)
	_, _, err = e.Setup([]*air.AIR{r8.AIR, bytesT.AIR, sq.AIR}, [][][]field.Elem{r8.Prep, nil, sq.Prep}, []bool{false, false, true})
	if err == nil || !strings.Contains(err.Error(), "taller") {
		t.Fatalf("an optional preprocessed table taller than every required one was accepted: %v", err)
	}
	if _, _, err = e.Setup([]*air.AIR{r8.AIR, bytesT.AIR, squares(8, nil).AIR}, [][][]field.Elem{r8.Prep, nil, squares(8, nil).Prep}, []bool{false, false, true}); err != nil {
		t.Fatalf("an optional preprocessed table as tall as a required one: %v", err)
	}
}

// TestAIRDigestRemembered: AIRDigest is the AIR's digest, the same on every call, and a
// copy with other constraints (another AIR) gets its own.
func TestAIRDigestRemembered(t *testing.T) {
	a := starktest.Wide(4, 8, 3).AIR
	if d := stark.AIRDigest(a); d != a.Digest() || stark.AIRDigest(a) != d {
		t.Fatalf("AIRDigest %v, Digest %v", d, a.Digest())
	}
	b := *a
	b.Constraints = b.Constraints[1:]
	if stark.AIRDigest(&b) != b.Digest() || stark.AIRDigest(&b) == stark.AIRDigest(a) {
		t.Fatal("a copy with a constraint less has the original's digest")
	}
}
