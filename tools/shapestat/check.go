package main

import (
	"context"
	"fmt"
	"reflect"

	"github.com/oneiros-zk/oneiros/core/chips/memtree"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// checkSegments is how many segments of 2^checkK cycles -check proves per workload.
const (
	checkK        = 10
	checkSegments = 3
)

// checkHeights proves the first segments of a workload at 2^checkK cycles and compares
// each table's height (0: left out) with the rows counted here.
func checkHeights(m *machine.Machine, ts *tables, w workload) error {
	segs, err := measure(ts, w, natural([]int{checkK}))
	if err != nil {
		return err
	}
	keys, err := m.Setup(w.prog)
	if err != nil {
		return err
	}
	cp := capacity(checkK)
	var recs []trace.Record
	_, err = exec.Run(context.Background(), w.prog, exec.Options{Input: w.input, Sink: func(r *trace.Record) error {
		if len(recs) < checkSegments*cp {
			recs = append(recs, *r.Clone())
		}
		return nil
	}})
	if err != nil {
		return err
	}
	run := &machine.SegmentRun{Program: w.prog, Input: w.input}
	// A machine with the memory tree proves each segment on the memory the previous one
	// left (SegmentRun.Memory, which ProveSegment updates); set it by name, so that this
	// builds against a machine without it too.
	if f := reflect.ValueOf(run).Elem().FieldByName("Memory"); f.IsValid() {
		words := map[uint32]uint32{}
		for a, v := range machine.Image(w.prog) {
			words[a] = v
		}
		t, err := memtree.FromWords(words)
		if err != nil {
			return err
		}
		f.Set(reflect.ValueOf(t))
	}
	for i := 0; i < checkSegments && i*cp < len(recs); i++ {
		seg := recs[i*cp : min((i+1)*cp, len(recs))]
		machine.Rebase(seg, uint64(i*cp))
		st, _, _, _, err := machine.SegmentOf(run, seg)
		if err != nil {
			return err
		}
		_, rep, err := m.ProveSegment(context.Background(), keys, run, seg)
		if err != nil {
			return fmt.Errorf("%s: segment %d: %w", w.name, i, err)
		}
		run.InStart, run.OutStart, run.HookStart, run.HookState, run.OutState, run.InState = st.InEnd, st.OutEnd, st.HookEnd, st.HookState, st.OutState, st.InState
		bad := 0
		for t, name := range ts.names {
			want := 0
			if segs[i].Present[t] {
				want = air.Height(segs[i].Rows[t])
			}
			if got := rep.Rows[name]; got != want {
				fmt.Printf("MISMATCH %s segment %d table %s: machine %d, shapestat %d (rows %d)\n", w.name, i, name, got, want, segs[i].Rows[t])
				bad++
			}
		}
		fmt.Printf("check %s segment %d (%d cycles): %d tables, %d mismatches\n", w.name, i, len(seg), len(ts.names), bad)
		if bad > 0 {
			return fmt.Errorf("heights differ")
		}
	}
	return nil
}
