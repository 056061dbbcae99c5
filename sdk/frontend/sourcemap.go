package frontend

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/sdk/internal/pluginv1"
)

func sourceLabels(m *isa.SourceMap) []string {
	if m == nil {
		return nil
	}
	return m.Labels
}

// sourceRuns splits the runs into the protocol's two parallel lists.
func sourceRuns(m *isa.SourceMap) (pcs, labels []uint32) {
	if m == nil {
		return nil, nil
	}
	pcs, labels = make([]uint32, len(m.Runs)), make([]uint32, len(m.Runs))
	for i, r := range m.Runs {
		pcs[i], labels[i] = r.PC, r.Label
	}
	return pcs, labels
}

// sourceMapOf reads a Load response's source map: nil when it has none, an error
// (ErrProtocol) when it is malformed against the program's instruction count.
func sourceMapOf(info *pluginv1.ProgramInfo) (*isa.SourceMap, error) {
	labels, pcs, idx := info.GetSourceLabels(), info.GetSourceRunPcs(), info.GetSourceRunLabels()
	if len(labels) == 0 && len(pcs) == 0 && len(idx) == 0 {
		return nil, nil
	}
	if len(pcs) != len(idx) {
		return nil, fmt.Errorf("%w: source map with %d run pcs and %d run labels", ErrProtocol, len(pcs), len(idx))
	}
	m := &isa.SourceMap{Labels: labels, Runs: make([]isa.SourceRun, len(pcs))}
	for i := range pcs {
		m.Runs[i] = isa.SourceRun{PC: pcs[i], Label: idx[i]}
	}
	n := info.GetInstructionCount()
	if n > 1<<32 {
		return nil, fmt.Errorf("%w: %d instructions", ErrProtocol, n)
	}
	if err := m.Validate(int(n)); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrProtocol, err)
	}
	return m, nil
}
