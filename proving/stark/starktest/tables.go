// Package starktest holds example AIRs and traces for the engine's tests and benchmarks:
// Fibonacci, a wide table of degree-3 constraints, a range-check table with its users,
// and a sender/receiver pair on a bus.
package starktest

import (
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// Buses of the example tables.
var (
	RangeBus  = air.Bus{ID: 1, Name: "range8"}
	PairBus   = air.Bus{ID: 2, Name: "pair"}
	PublicBus = air.Bus{ID: 3, Name: "public"}
)

// Table is an AIR with a witness.
type Table struct {
	AIR     *air.AIR
	Main    [][]field.Elem
	Prep    [][]field.Elem
	Publics []field.Elem
}

func cols(w, n int) [][]field.Elem {
	c := make([][]field.Elem, w)
	for i := range c {
		c[i] = make([]field.Elem, n)
	}
	return c
}

// Fib is the Fibonacci table of 2^logN rows: a' = b, b' = a + b, with the first pair
// and the last b public.
func Fib(logN int) Table {
	b := air.NewBuilder("fib")
	x, y := b.Main("a"), b.Main("b")
	a0, b0, out := b.Public("a0"), b.Public("b0"), b.Public("out")
	b.AssertFirst("a_init", x.Cur.Sub(a0))
	b.AssertFirst("b_init", y.Cur.Sub(b0))
	b.AssertTransition("a_next", x.Next.Sub(y.Cur))
	b.AssertTransition("b_next", y.Next.Sub(x.Cur).Sub(y.Cur))
	b.AssertLast("out", y.Cur.Sub(out))
	n := 1 << logN
	m := cols(2, n)
	m[0][0], m[1][0] = field.New(1), field.New(1)
	for r := 1; r < n; r++ {
		m[0][r] = m[1][r-1]
		m[1][r].Add(&m[0][r-1], &m[1][r-1])
	}
	return Table{AIR: b.MustBuild(), Main: m, Publics: []field.Elem{field.New(1), field.New(1), m[1][n-1]}}
}

// Wide is a table of width columns and 2^logN rows with k degree-3 constraints
// c[j+2] = c[j]^3 + c[j+1]·c[j] (every row), a counter in the last column
// (transition c' = c + 1, first row c = 0), and pseudo-random free columns.
func Wide(logN, width, k int) Table {
	b := air.NewBuilder("wide")
	c := b.MainN("c", width)
	for j := range k {
		cube := c[j].Cur.Mul(c[j].Cur).Mul(c[j].Cur)
		b.AssertEq("cubic"+itoa(j), c[j+2].Cur, cube.Add(c[j+1].Cur.Mul(c[j].Cur)))
	}
	ctr := c[width-1]
	b.AssertFirst("ctr_init", ctr.Cur)
	b.AssertTransition("ctr_step", ctr.Next.Sub(ctr.Cur).AddC(-1))
	n := 1 << logN
	m := cols(width, n)
	x := uint64(12345)
	for col := range width - 1 {
		if col >= 2 && col < k+2 {
			continue
		}
		for r := range n {
			x = x*6364136223846793005 + 1442695040888963407
			m[col][r] = field.New(x >> 33)
		}
	}
	for r := range n {
		for j := range k {
			var t, u field.Elem
			t.Square(&m[j][r])
			t.Mul(&t, &m[j][r])
			u.Mul(&m[j+1][r], &m[j][r])
			m[j+2][r].Add(&t, &u)
		}
		m[width-1][r] = field.New(uint64(r))
	}
	return Table{AIR: b.MustBuild(), Main: m}
}

// Range8 is the range-check table: a preprocessed column 0…255 and the multiplicity
// with which each value is looked up, received on RangeBus.
func Range8(counts []uint64) Table {
	b := air.NewBuilder("range8")
	v := b.Preprocessed("value")
	m := b.Main("mult")
	b.Receive("lookup", RangeBus, []air.Expr{v.Cur}, m.Cur)
	prep, main := cols(1, 256), cols(1, 256)
	for i := range 256 {
		prep[0][i] = field.New(uint64(i))
		main[0][i] = field.New(counts[i])
	}
	return Table{AIR: b.MustBuild(), Main: main, Prep: prep}
}

// Bytes is a lookup-heavy table: width byte columns, each range-checked on RangeBus,
// 2^logN rows. It returns the table and the lookup counts per value for Range8.
func Bytes(logN, width int) (Table, []uint64) {
	b := air.NewBuilder("bytes")
	c := b.MainN("byte", width)
	one := b.Const(1)
	for i := range c {
		b.Send("range"+itoa(i), RangeBus, []air.Expr{c[i].Cur}, one)
	}
	n := 1 << logN
	m := cols(width, n)
	counts := make([]uint64, 256)
	x := uint64(7)
	for i := range width {
		for r := range n {
			x = x*6364136223846793005 + 1442695040888963407
			v := (x >> 40) & 0xff
			m[i][r] = field.New(v)
			counts[v]++
		}
	}
	return Table{AIR: b.MustBuild(), Main: m}, counts
}

// Sender sends (x, x²) on PairBus from each of its 2^logN rows, and one value per row
// on PublicBus when the row's flag is set (the verifier receives those publicly).
func Sender(logN int) Table {
	b := air.NewBuilder("sender")
	x, y, f := b.Main("x"), b.Main("y"), b.Main("public_flag")
	b.AssertEq("square", y.Cur, x.Cur.Mul(x.Cur))
	b.AssertBool("flag_bool", f.Cur)
	b.Send("pair", PairBus, []air.Expr{x.Cur, y.Cur}, b.Const(1))
	b.Send("public", PublicBus, []air.Expr{x.Cur}, f.Cur)
	n := 1 << logN
	m := cols(3, n)
	for r := range n {
		m[0][r] = field.New(uint64(r % 8))
		m[1][r].Square(&m[0][r])
		if r == 3 || r == 5 {
			m[2][r] = field.New(1)
		}
	}
	return Table{AIR: b.MustBuild(), Main: m}
}

// SenderPublic is the public side of Sender: the verifier receives x = 3 and x = 5.
func SenderPublic() []lookup.Message {
	return []lookup.Message{
		{Bus: PublicBus.ID, Tuple: []field.Elem{field.New(3)}, Mult: field.New(1)},
		{Bus: PublicBus.ID, Tuple: []field.Elem{field.New(5)}, Mult: field.New(1)},
	}
}

// Receiver receives (x, y) on PairBus with multiplicity m: 8 rows for x = 0…7, each
// with the number of times Sender (of 2^senderLogN rows) sends it.
func Receiver(senderLogN int) Table {
	b := air.NewBuilder("receiver")
	x, y, m := b.Main("x"), b.Main("y"), b.Main("mult")
	b.Receive("pair", PairBus, []air.Expr{x.Cur, y.Cur}, m.Cur)
	c := cols(3, 8)
	for r := range 8 {
		c[0][r] = field.New(uint64(r))
		c[1][r].Square(&c[0][r])
		c[2][r] = field.New(uint64((1 << senderLogN) / 8))
	}
	return Table{AIR: b.MustBuild(), Main: c}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// Collect splits tables into what stark.Setup takes (the AIRs and preprocessed columns)
// and the witness stark.Prove takes, with the public bus messages bus.
func Collect(tables []Table, bus []lookup.Message) ([]*air.AIR, [][][]field.Elem, *stark.Witness) {
	airs := make([]*air.AIR, 0, len(tables))
	prep := make([][][]field.Elem, 0, len(tables))
	w := &stark.Witness{Bus: bus}
	for _, tb := range tables {
		airs, prep = append(airs, tb.AIR), append(prep, tb.Prep)
		w.Main, w.Publics = append(w.Main, tb.Main), append(w.Publics, tb.Publics)
	}
	return airs, prep, w
}

// Cubes is a lookup table with preprocessed columns (x, x³) for x < 2^logN, received on
// PairBus with multiplicity mult[x] (a main column): an optional table's fixture.
func Cubes(logN int, mult []uint64) Table {
	b := air.NewBuilder("cubes")
	x, c, m := b.Preprocessed("x"), b.Preprocessed("x3"), b.Main("mult")
	b.Receive("cube", PairBus, []air.Expr{x.Cur, c.Cur}, m.Cur)
	n := 1 << logN
	prep := [][]field.Elem{make([]field.Elem, n), make([]field.Elem, n)}
	main := [][]field.Elem{make([]field.Elem, n)}
	for i := range n {
		prep[0][i] = field.New(uint64(i))
		prep[1][i].Square(&prep[0][i])
		prep[1][i].Mul(&prep[1][i], &prep[0][i])
		if i < len(mult) {
			main[0][i] = field.New(mult[i])
		}
	}
	return Table{AIR: b.MustBuild(), Main: main, Prep: prep}
}

// CubeUsers sends (v, v³) on PairBus for v = 5r mod 64 on each of its 2^logN rows, and
// returns the multiplicities Cubes must receive them with.
func CubeUsers(logN int) (Table, []uint64) {
	b := air.NewBuilder("cube_users")
	v, c := b.Main("v"), b.Main("v3")
	b.Send("cube", PairBus, []air.Expr{v.Cur, c.Cur}, b.Const(1))
	n := 1 << logN
	m := [][]field.Elem{make([]field.Elem, n), make([]field.Elem, n)}
	mult := make([]uint64, 64)
	for r := range n {
		x := uint64(r*5) % 64
		mult[x]++
		m[0][r] = field.New(x)
		m[1][r].Square(&m[0][r])
		m[1][r].Mul(&m[1][r], &m[0][r])
	}
	return Table{AIR: b.MustBuild(), Main: m}, mult
}
