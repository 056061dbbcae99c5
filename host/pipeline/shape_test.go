package pipeline

import (
	"context"
	"encoding/binary"
	"os"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/proving/hemera"
)

// TestCheckShapeRefusesOtherHeights: a segment cut for a catalogue shape whose proof has
// other heights (a backend that ignored the boundary's shape) is refused before the
// linker takes it; the proof at the shape passes, and a natural job checks nothing.
func TestCheckShapeRefusesOtherHeights(t *testing.T) {
	src, err := os.ReadFile("../../examples/mix.s")
	if err != nil {
		t.Fatal(err)
	}
	p, err := isa.Assemble("mix.s", src)
	if err != nil {
		t.Fatal(err)
	}
	in := binary.LittleEndian.AppendUint32(nil, 20)
	_, recs, err := machine.Execute(context.Background(), p, exec.Options{Input: in})
	if err != nil {
		t.Fatal(err)
	}
	e, err := hemera.New(chiptest.Params)
	if err != nil {
		t.Fatal(err)
	}
	m := machine.New(e)
	cat, err := m.CatalogueV1()
	if err != nil {
		t.Fatal(err)
	}
	cut, err := cat.NewCutter(m, p, uint32(len(in)), 10)
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		if s, err := cut.Add(&recs[i]); err != nil || s != nil {
			t.Fatalf("a run of %d cycles cut at record %d (%v)", len(recs), i, err)
		}
	}
	shape, err := cut.Finish()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := m.SetupROM(p, cut.ROMLogN())
	if err != nil {
		t.Fatal(err)
	}
	prove := func(minLogN []int) []byte {
		run := &machine.SegmentRun{Program: p, Input: in, MinLogN: minLogN}
		sp, _, err := m.ProveSegment(context.Background(), keys, run, recs)
		if err != nil {
			t.Fatal(err)
		}
		return sp.Encode()
	}
	j := &job{shape: shape, final: true}
	if err := checkShape(prove(shape.MinLogN()), j); err != nil {
		t.Fatalf("the proof at its shape: %v", err)
	}
	other := prove(nil) // the ROM's class (from the keys), every other table natural
	if err := checkShape(other, j); err == nil || !strings.Contains(err.Error(), "are not") {
		t.Fatalf("a proof at other heights: %v", err)
	} else {
		t.Logf("a proof at other heights: %v", err)
	}
	if err := checkShape(other, &job{final: true}); err != nil {
		t.Fatalf("a natural job: %v", err)
	}
}
