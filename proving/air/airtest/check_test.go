package airtest_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/air/airtest"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// counter is an AIR with one constraint per selector:
//
//	bool   (every row)  a ∈ {0, 1}
//	start  (first row)  b = 0
//	end    (last row)   b = public "n" − 1
//	step   (transition) b' = b + 1
//	hold   (transition) c' = c
//
// and a valid trace of 8 rows. The transitions would fail across the wrap from the last
// row to the first, where they do not apply.
func counter() (*air.AIR, [][]field.Elem, []field.Elem) {
	bld := air.NewBuilder("counter")
	a, b, c := bld.Main("a"), bld.Main("b"), bld.Main("c")
	n := bld.Public("n")
	bld.AssertBool("bool", a.Cur)
	bld.AssertFirst("start", b.Cur)
	bld.AssertLast("end", b.Cur.Sub(n).AddC(1))
	bld.AssertTransition("step", b.Next.Sub(b.Cur).AddC(-1))
	bld.AssertTransition("hold", c.Next.Sub(c.Cur))
	main := [][]field.Elem{make([]field.Elem, 8), make([]field.Elem, 8), make([]field.Elem, 8)}
	for r := range 8 {
		main[0][r] = field.New(uint64(r % 2))
		main[1][r] = field.New(uint64(r))
		main[2][r] = field.New(42)
	}
	return bld.MustBuild(), main, []field.Elem{field.New(8)}
}

func failures(t *testing.T, err error) []airtest.Failure {
	t.Helper()
	var fs []airtest.Failure
	var j interface{ Unwrap() []error }
	if !errors.As(err, &j) {
		t.Fatalf("%v is not a joined error", err)
	}
	for _, e := range j.Unwrap() {
		var f airtest.Failure
		if !errors.As(e, &f) {
			t.Fatalf("%v is not a Failure", e)
		}
		fs = append(fs, f)
	}
	return fs
}

func TestCheckPasses(t *testing.T) {
	a, main, pub := counter()
	if err := airtest.Check(a, main, nil, pub); err != nil {
		t.Fatal(err)
	}
}

// Check names the failing constraint, its selector and its first failing row, for each
// selector, and sorts failures by row.
func TestCheckNamesConstraintAndRow(t *testing.T) {
	type want struct {
		constraint string
		sel        air.Selector
		row        int
	}
	set := func(col, row int, v uint64) func([][]field.Elem) {
		return func(m [][]field.Elem) { m[col][row] = field.New(v) }
	}
	for _, c := range []struct {
		name   string
		tamper func([][]field.Elem)
		pub    uint64
		want   []want
	}{
		{"every row", set(0, 5, 2), 8, []want{{"bool", air.EveryRow, 5}}},
		{"every row, several rows: the first is named", func(m [][]field.Elem) {
			m[0][6], m[0][2] = field.New(3), field.New(7)
		}, 8, []want{{"bool", air.EveryRow, 2}}},
		{"first row", func(m [][]field.Elem) {
			for r := range 8 {
				m[1][r] = field.New(uint64(r + 1))
			}
		}, 9, []want{{"start", air.FirstRow, 0}}},
		{"last row", nil, 7, []want{{"end", air.LastRow, 7}}},
		{"transition", set(2, 4, 41), 8, []want{{"hold", air.Transition, 3}}},
		{"several at once, by row", func(m [][]field.Elem) {
			m[0][6] = field.New(9)  // bool at 6
			m[1][3] = field.New(30) // step at 2 (3 ≠ 2+1) and 3
			m[2][1] = field.New(0)  // hold at 0
		}, 8, []want{{"hold", air.Transition, 0}, {"step", air.Transition, 2}, {"bool", air.EveryRow, 6}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, main, _ := counter()
			if c.tamper != nil {
				c.tamper(main)
			}
			err := airtest.Check(a, main, nil, []field.Elem{field.New(c.pub)})
			if err == nil {
				t.Fatal("accepted")
			}
			fs := failures(t, err)
			if len(fs) != len(c.want) {
				t.Fatalf("%d failures, want %d:\n%v", len(fs), len(c.want), err)
			}
			for i, w := range c.want {
				f := fs[i]
				if f.Table != "counter" || f.Constraint != w.constraint || f.Selector != w.sel || f.Row != w.row || f.Value.IsZero() {
					t.Errorf("failure %d: %+v, want %+v", i, f, w)
				}
				prefix := "table counter: constraint \"" + w.constraint + "\" (" + w.sel.String() + ") fails at row "
				if !strings.HasPrefix(f.Error(), prefix) {
					t.Errorf("message %q, want prefix %q", f.Error(), prefix)
				}
			}
		})
	}
}

// Messages show field values as numbers. Known bug: Failure.Error and CheckBus format
// field.Elem values with %v, which prints their Montgomery form ([67108860] for 2) since
// Element.String has a pointer receiver.
func TestMessagesShowValues(t *testing.T) {
	f := airtest.Failure{Table: "t", Constraint: "c", Selector: air.EveryRow, Row: 3, Value: field.New(2)}
	if want := `table t: constraint "c" (every row) fails at row 3 (value 2)`; f.Error() != want {
		t.Errorf("%q, want %q", f.Error(), want)
	}
	tables, pub := busTables()
	err := airtest.CheckBus(tables, pub[:1])
	if err == nil || !strings.Contains(err.Error(), "bus 3 tuple (5): net multiplicity 1 (") {
		t.Errorf("%v", err)
	}
}

func TestCheckShapes(t *testing.T) {
	a, main, pub := counter()
	for name, err := range map[string]error{
		"missing column":     airtest.Check(a, main[:2], nil, pub),
		"extra prep column":  airtest.Check(a, main, [][]field.Elem{make([]field.Elem, 8)}, pub),
		"missing public":     airtest.Check(a, main, nil, nil),
		"ragged main column": airtest.Check(a, [][]field.Elem{main[0], main[1], main[2][:4]}, nil, pub),
	} {
		if err == nil || !strings.HasPrefix(err.Error(), "airtest: table counter: ") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func busTables() ([]airtest.Table, []airtest.Message) {
	s, r := starktest.Sender(6), starktest.Receiver(6)
	var pub []airtest.Message
	for _, m := range starktest.SenderPublic() {
		pub = append(pub, airtest.Message(m))
	}
	return []airtest.Table{
		{AIR: s.AIR, Main: s.Main, Publics: s.Publics},
		{AIR: r.AIR, Main: r.Main, Publics: r.Publics},
	}, pub
}

func TestCheckBusBalanced(t *testing.T) {
	tables, pub := busTables()
	if err := airtest.CheckBus(tables, pub); err != nil {
		t.Fatal(err)
	}
}

// CheckBus names each unbalanced tuple with its bus, its net multiplicity and where it
// was sent or received.
func TestCheckBusNamesUnbalancedTuple(t *testing.T) {
	t.Run("receiver multiplicity", func(t *testing.T) {
		tables, pub := busTables()
		tables[1].Main[2][3] = field.New(9) // receives (3, 9) 9 times; the sender sends it 8 times
		err := airtest.CheckBus(tables, pub)
		if err == nil {
			t.Fatal("accepted")
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "airtest: unbalanced bus:\n") || !strings.Contains(msg, "bus 2 tuple (3,9): net multiplicity") || !strings.Contains(msg, `(from sender row 3 "pair"; `) {
			t.Errorf("message:\n%s", msg)
		}
		if strings.Count(msg, "\n  ") != 1 {
			t.Errorf("want exactly one unbalanced tuple:\n%s", msg)
		}
	})
	t.Run("missing public message", func(t *testing.T) {
		tables, pub := busTables()
		err := airtest.CheckBus(tables, pub[:1]) // x = 5 is sent, never received
		if err == nil || !strings.Contains(err.Error(), "bus 3 tuple (5): net multiplicity ") || !strings.Contains(err.Error(), ` (from sender row 5 "public")`) {
			t.Errorf("%v", err)
		}
	})
	t.Run("extra public message", func(t *testing.T) {
		tables, pub := busTables()
		pub = append(pub, airtest.Message{Bus: 3, Tuple: []field.Elem{field.New(6)}, Mult: field.New(1)})
		err := airtest.CheckBus(tables, pub)
		if err == nil || !strings.Contains(err.Error(), "bus 3 tuple (6)") || !strings.Contains(err.Error(), "public message 2") {
			t.Errorf("%v", err)
		}
	})
	t.Run("same tuple on another bus does not cancel", func(t *testing.T) {
		tables, pub := busTables()
		pub[1].Bus = 4
		err := airtest.CheckBus(tables, pub)
		if err == nil || !strings.Contains(err.Error(), "bus 3 tuple (5)") || !strings.Contains(err.Error(), "bus 4 tuple (5)") {
			t.Errorf("%v", err)
		}
	})
}
