package machine

import (
	"context"
	"os"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

// witness builds every table of a run, for airtest: each chip's constraints row by
// row, and every bus's balance, with the chip and row of any failure named.
func witness(t *testing.T, p *isa.Program, input []byte) ([]chiptest.Table, *Statement, []lookup.Message) {
	t.Helper()
	res, recs, err := Execute(context.Background(), p, exec.Options{Input: input})
	if err != nil {
		t.Fatal(err)
	}
	st := StatementOf(p, res, input)
	if err := Provable(st); err != nil {
		t.Fatal(err)
	}
	m := New(nil)
	ev := collect(p, recs)
	ev.inputLen = st.InputLen
	ev.input = st.Input
	var tables []chiptest.Table
	pubs := m.publicsOf(st, recs, ev)
	for i, c := range m.chips {
		var main [][]field.Elem
		if c.name == "cpu" {
			main = cpuTrace(recs, ev)
		} else if main, err = c.trace(ev); err != nil {
			t.Fatal(err)
		}
		if main == nil {
			continue
		}
		var prep [][]field.Elem
		if c.prep != nil {
			prep = c.prep(p)
		}
		tables = append(tables, chiptest.Table{AIR: c.air, Main: main, Prep: prep, Publics: pubs[i]})
	}
	return tables, st, messagesOf(st, recs, ev)
}

type example struct {
	file  string
	input []byte
}

var examples = []example{
	{"sort.s", mustRead("../../examples/sort.in")},
	{"fib.s", []byte{20, 0, 0, 0}},
	{"keccak.s", make([]byte, 300)},
}

func mustRead(path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return b
}

// TestExamplesProve checks every example's witness against the chips, proves it and
// verifies the proof (fast parameters).
func TestExamplesProve(t *testing.T) {
	e, err := hemera.New(chiptest.Params)
	if err != nil {
		t.Fatal(err)
	}
	m := New(e)
	for _, ex := range examples {
		src, err := os.ReadFile("../../examples/" + ex.file)
		if err != nil {
			t.Fatal(err)
		}
		p := assemble(t, string(src))
		tables, st, msgs := witness(t, p, ex.input)
		if err := chiptest.Check(tables, msgs); err != nil {
			t.Fatalf("%s: %v", ex.file, err)
		}
		_, recs, _ := Execute(context.Background(), p, exec.Options{Input: ex.input})
		keys, err := m.Setup(p)
		if err != nil {
			t.Fatal(err)
		}
		proof, err := m.Prove(keys, st, recs)
		if err != nil {
			t.Fatalf("%s: %v", ex.file, err)
		}
		if err := m.Verify(keys.VK, st, proof); err != nil {
			t.Fatalf("%s: %v", ex.file, err)
		}
		t.Logf("%s: %d cycles, proof %d bytes", ex.file, st.Cycles, len(proof.Encode()))
	}
}
