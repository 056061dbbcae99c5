package isa

import "testing"

func TestSourceMap(t *testing.T) {
	b := NewBuilder()
	b.SourceLabel("a")
	b.ALU(ADD, 8, Imm(1), Imm(2))
	b.ALU(ADD, 8, Imm(1), Imm(2))
	b.SourceLabel("unused") // nothing emitted under it
	b.SourceLabel("b")
	b.ALU(ADD, 8, Imm(1), Imm(2))
	b.SourceLabel("b") // same label: no new run
	b.ALU(ADD, 8, Imm(1), Imm(2))
	b.SourceLabel("a")
	b.Halt(Imm(0))
	b.SourceLabel("trailing") // past the end: dropped
	m := b.SourceMap()
	if err := m.Validate(5); err != nil {
		t.Fatal(err)
	}
	want := []string{"a", "a", "b", "b", "a"}
	idx := m.Index(5)
	for pc, w := range want {
		if got := m.LabelOf(uint32(pc)); got != w || m.Labels[idx[pc]] != w {
			t.Fatalf("pc %d: %q (index %d), want %q", pc, got, idx[pc], w)
		}
	}
	if len(m.Runs) != 3 {
		t.Fatalf("runs %+v", m.Runs)
	}
	for name, bad := range map[string]*SourceMap{
		"pc past the end":  {Labels: []string{"x"}, Runs: []SourceRun{{PC: 5}}},
		"pcs not in order": {Labels: []string{"x"}, Runs: []SourceRun{{PC: 2}, {PC: 2}}},
		"label index":      {Labels: []string{"x"}, Runs: []SourceRun{{PC: 0, Label: 1}}},
		"empty label":      {Labels: []string{""}, Runs: []SourceRun{{PC: 0}}},
		"not UTF-8":        {Labels: []string{"\xff"}, Runs: []SourceRun{{PC: 0}}},
	} {
		if bad.Validate(5) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if (&SourceMap{}).LabelOf(3) != "" || NewBuilder().SourceMap() != nil {
		t.Fatal("empty map")
	}
}
