package machine

import (
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

// single is the one-segment view of a statement, its touched words those of the events'
// memory table (collected from recs when ev is nil), set in the program's image tree.
func single(st *Statement, recs []trace.Record, ev *events) *segmentView {
	if ev == nil {
		ev = collect(st.Program, recs)
	}
	v := statementView(st, recs)
	if err := v.setMemory(ev, 0, false, 1<<30); err != nil {
		panic(err)
	}
	v.setOutput(ev)
	v.setInput(ev, st.Input)
	return v
}

// outAt is the output sponge's state after the first off bytes of out (all of them
// when off is past its end): where a segment whose output starts at off starts.
func outAt(out []byte, off uint32) output.State {
	return output.Absorb(output.IV(), 0, out[:min(int(off), len(out))])
}

// publics and messages of a statement proven as one segment (tests).
func (m *Machine) publicsOf(st *Statement, recs []trace.Record, ev *events) [][]field.Elem {
	return single(st, recs, ev).publics(m)
}

func messagesOf(st *Statement, recs []trace.Record, ev *events) []lookup.Message {
	return single(st, recs, ev).messages()
}
