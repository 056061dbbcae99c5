package airtest

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Failure is one violated constraint: the first row where it fails.
type Failure struct {
	Table      string
	Constraint string
	Selector   air.Selector
	Row        int
	Value      field.Elem
}

func (f Failure) Error() string {
	return fmt.Sprintf("table %s: constraint %q (%s) fails at row %d (value %d)", f.Table, f.Constraint, f.Selector, f.Row, f.Value.Uint64())
}

// Check evaluates every constraint of a on every row it selects (in the base field,
// directly on the trace) and returns one Failure per violated constraint, at its first
// failing row, sorted by row — nil when the trace satisfies the AIR. The next row of the
// last row is row 0, as in the STARK (transition constraints do not apply there).
func Check(a *air.AIR, main, prep [][]field.Elem, publics []field.Elem) error {
	if len(main) != len(a.Main) {
		return fmt.Errorf("airtest: table %s: %d main columns, the AIR has %d", a.Name, len(main), len(a.Main))
	}
	if len(prep) != len(a.Prep) {
		return fmt.Errorf("airtest: table %s: %d preprocessed columns, the AIR has %d", a.Name, len(prep), len(a.Prep))
	}
	if len(publics) != len(a.Publics) {
		return fmt.Errorf("airtest: table %s: %d public values, the AIR has %d", a.Name, len(publics), len(a.Publics))
	}
	n := len(main[0])
	for _, cols := range [][][]field.Elem{main, prep} {
		for c, col := range cols {
			if len(col) != n {
				return fmt.Errorf("airtest: table %s: column %d has %d rows, want %d", a.Name, c, len(col), n)
			}
		}
	}
	row := func(cols [][]field.Elem, r int) []field.Elem {
		v := make([]field.Elem, len(cols))
		for c := range cols {
			v[c] = cols[c][r]
		}
		return v
	}
	vals := make([]field.Elem, len(a.Nodes))
	first := map[int]Failure{}
	for r := range n {
		nx := (r + 1) % n
		rv := &air.RowValues{Main: row(main, r), MainNext: row(main, nx), Prep: row(prep, r), PrepNext: row(prep, nx), Publics: publics}
		a.EvalRow(rv, vals)
		for k, c := range a.Constraints {
			if _, done := first[k]; done {
				continue
			}
			switch c.Sel {
			case air.FirstRow:
				if r != 0 {
					continue
				}
			case air.LastRow:
				if r != n-1 {
					continue
				}
			case air.Transition:
				if r == n-1 {
					continue
				}
			}
			if !vals[c.Root].IsZero() {
				first[k] = Failure{Table: a.Name, Constraint: c.Name, Selector: c.Sel, Row: r, Value: vals[c.Root]}
			}
		}
	}
	if len(first) == 0 {
		return nil
	}
	fs := make([]Failure, 0, len(first))
	for _, f := range first {
		fs = append(fs, f)
	}
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].Row != fs[j].Row {
			return fs[i].Row < fs[j].Row
		}
		return fs[i].Constraint < fs[j].Constraint
	})
	errs := make([]error, len(fs))
	for i, f := range fs {
		errs[i] = f
	}
	return errors.Join(errs...)
}

// Table is one table's trace for CheckBus.
type Table struct {
	AIR     *air.AIR
	Main    [][]field.Elem
	Prep    [][]field.Elem
	Publics []field.Elem
}

// Message is a public bus message (see lookup.Message).
type Message struct {
	Bus   uint32
	Send  bool
	Tuple []field.Elem
	Mult  field.Elem
}

// CheckBus adds up, per bus and tuple, the multiplicities sent minus those received by
// every table and public message, and reports each tuple whose total is not zero (with
// the interactions that touch it) — nil when every bus balances.
func CheckBus(tables []Table, public []Message) error {
	type key struct {
		bus   uint32
		tuple string
	}
	total := map[key]field.Elem{}
	where := map[key][]string{}
	add := func(bus uint32, send bool, tuple []field.Elem, mult field.Elem, who string) {
		if mult.IsZero() {
			return
		}
		parts := make([]string, len(tuple))
		for i, v := range tuple {
			parts[i] = v.String()
		}
		k := key{bus, strings.Join(parts, ",")}
		t := total[k]
		if send {
			t.Add(&t, &mult)
		} else {
			t.Sub(&t, &mult)
		}
		total[k] = t
		if len(where[k]) < 4 {
			where[k] = append(where[k], who)
		}
	}
	for _, tb := range tables {
		a := tb.AIR
		vals := make([]field.Elem, len(a.Nodes))
		n := len(tb.Main[0])
		for r := range n {
			rv := &air.RowValues{Main: col(tb.Main, r), MainNext: col(tb.Main, (r+1)%n), Prep: col(tb.Prep, r), PrepNext: col(tb.Prep, (r+1)%n), Publics: tb.Publics}
			a.EvalRow(rv, vals)
			for _, it := range a.Interactions {
				tuple := make([]field.Elem, len(it.Tuple))
				for i, t := range it.Tuple {
					tuple[i] = vals[t]
				}
				add(it.Bus.ID, it.Send, tuple, vals[it.Mult], fmt.Sprintf("%s row %d %q", a.Name, r, it.Name))
			}
		}
	}
	for i, m := range public {
		add(m.Bus, m.Send, m.Tuple, m.Mult, fmt.Sprintf("public message %d", i))
	}
	var errs []string
	for k, t := range total {
		if !t.IsZero() {
			errs = append(errs, fmt.Sprintf("bus %d tuple (%s): net multiplicity %d (from %s)", k.bus, k.tuple, t.Uint64(), strings.Join(where[k], "; ")))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	sort.Strings(errs)
	return errors.New("airtest: unbalanced bus:\n  " + strings.Join(errs, "\n  "))
}

func col(cols [][]field.Elem, r int) []field.Elem {
	v := make([]field.Elem, len(cols))
	for c := range cols {
		v[c] = cols[c][r]
	}
	return v
}
