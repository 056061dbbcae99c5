package frontend

import (
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/sdk/internal/pluginv1"
)

// A source map round-trips through the protocol's fields; a malformed one from a plugin
// is a protocol error, never a panic; none is nil.
func TestSourceMapWire(t *testing.T) {
	m := &isa.SourceMap{Labels: []string{"a", "b"}, Runs: []isa.SourceRun{{PC: 0, Label: 1}, {PC: 3, Label: 0}}}
	pcs, labels := sourceRuns(m)
	info := &pluginv1.ProgramInfo{InstructionCount: 5, SourceLabels: sourceLabels(m), SourceRunPcs: pcs, SourceRunLabels: labels}
	got, err := sourceMapOf(info)
	if err != nil || got.LabelOf(4) != "a" || got.LabelOf(1) != "b" {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	if got, err := sourceMapOf(&pluginv1.ProgramInfo{InstructionCount: 5}); got != nil || err != nil {
		t.Fatal("an absent map")
	}
	for name, bad := range map[string]*pluginv1.ProgramInfo{
		"ragged runs":         {InstructionCount: 5, SourceLabels: []string{"a"}, SourceRunPcs: []uint32{0, 1}, SourceRunLabels: []uint32{0}},
		"pc past the end":     {InstructionCount: 5, SourceLabels: []string{"a"}, SourceRunPcs: []uint32{9}, SourceRunLabels: []uint32{0}},
		"label out of range":  {InstructionCount: 5, SourceLabels: []string{"a"}, SourceRunPcs: []uint32{0}, SourceRunLabels: []uint32{7}},
		"runs without labels": {InstructionCount: 5, SourceRunPcs: []uint32{0}, SourceRunLabels: []uint32{0}},
	} {
		if _, err := sourceMapOf(bad); !errors.Is(err, ErrProtocol) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
