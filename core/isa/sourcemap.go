package isa

import (
	"fmt"
	"slices"
	"unicode/utf8"
)

// SourceMap attributes normalized instructions to what they were lowered from: a source
// instruction or opcode group ("i32.add", "SSTORE", "ldxdw") or a runtime routine
// ("runtime:memcpy"). Run k covers the instructions from Runs[k].PC up to the next run's
// PC (the last run to the end of the code) and names Labels[Runs[k].Label]. It is
// metadata for profiles (`oneiros execute --profile-cycles`): not part of the program's
// encoding or ID, never proven. Frontends build it with [Builder.SourceLabel].
type SourceMap struct {
	Labels []string
	Runs   []SourceRun
}

// SourceRun starts a label's run at a normalized pc.
type SourceRun struct {
	PC, Label uint32
}

// Limits of a source map a host accepts from a plugin.
const (
	MaxSourceLabels   = 1 << 16
	MaxSourceLabelLen = 64
)

// Validate checks m against a program of n instructions: runs in strictly increasing
// pc order below n, label indices in range, labels non-empty valid UTF-8 of at most
// MaxSourceLabelLen bytes, at most MaxSourceLabels of them.
func (m *SourceMap) Validate(n int) error {
	if len(m.Labels) > MaxSourceLabels {
		return fmt.Errorf("source map: %d labels, at most %d", len(m.Labels), MaxSourceLabels)
	}
	for i, l := range m.Labels {
		if l == "" || len(l) > MaxSourceLabelLen || !utf8.ValidString(l) {
			return fmt.Errorf("source map: label %d (%.70q) is empty, longer than %d bytes or not UTF-8", i, l, MaxSourceLabelLen)
		}
	}
	for k, r := range m.Runs {
		if int64(r.PC) >= int64(n) || k > 0 && r.PC <= m.Runs[k-1].PC {
			return fmt.Errorf("source map: run %d starts at pc %d: want increasing pcs below %d", k, r.PC, n)
		}
		if int(r.Label) >= len(m.Labels) {
			return fmt.Errorf("source map: run %d names label %d of %d", k, r.Label, len(m.Labels))
		}
	}
	return nil
}

// LabelOf returns the label of the instruction at pc ("" before the first run).
func (m *SourceMap) LabelOf(pc uint32) string {
	k, found := slices.BinarySearchFunc(m.Runs, pc, func(r SourceRun, pc uint32) int {
		switch {
		case r.PC < pc:
			return -1
		case r.PC > pc:
			return 1
		}
		return 0
	})
	if !found {
		k--
	}
	if k < 0 {
		return ""
	}
	return m.Labels[m.Runs[k].Label]
}

// Index returns, for each of n instructions, the index of its label in Labels (−1
// before the first run): a table for counting many cycles.
func (m *SourceMap) Index(n int) []int32 {
	idx := make([]int32, n)
	cur := int32(-1)
	k := 0
	for pc := range idx {
		for k < len(m.Runs) && int(m.Runs[k].PC) == pc {
			cur = int32(m.Runs[k].Label)
			k++
		}
		idx[pc] = cur
	}
	return idx
}
