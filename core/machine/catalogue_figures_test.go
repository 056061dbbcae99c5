package machine

import (
	"encoding/binary"
	"fmt"
	"os"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/air"
)

// TestCatalogueFigures (CATALOGUE_FIGURES=1) prints docs/leaf-shapes.md's figures of
// catalogue v1 on mix.s and sort.s: segments and committed main cells cut naturally
// (every table the power of two above its rows) and by the catalogue (cut early when
// no shape holds the next record, padded to the cheapest shape), per segment size.
// Counts only: no proof.
func TestCatalogueFigures(t *testing.T) {
	if testing.Short() || os.Getenv("CATALOGUE_FIGURES") != "1" {
		t.Skip("CATALOGUE_FIGURES=1 prints the catalogue's cell figures")
	}
	m := New(nil)
	cat, err := m.CatalogueV1()
	if err != nil {
		t.Fatal(err)
	}
	width := make([]int64, len(m.chips))
	for i, c := range m.chips {
		width[i] = int64(len(c.air.Main))
	}
	for _, w := range []struct {
		name string
		file string
		in   []byte
	}{
		{"mix.s (u32=20000)", "mix.s", binary.LittleEndian.AppendUint32(nil, 20000)},
		{"mix.s (u32=100000)", "mix.s", binary.LittleEndian.AppendUint32(nil, 100000)},
		{"sort.s (sort.in)", "sort.s", mustRead("../../examples/sort.in")},
		{"fib.s (u32=30000)", "fib.s", binary.LittleEndian.AppendUint32(nil, 30000)},
	} {
		r := exampleRun(t, w.file, w.in)
		for _, k := range []int{12, 16, 18, 20} {
			natSegs, natCells := naturalCells(r, k, width)
			cut, err := cat.NewCutter(m, r.st.Program, r.st.InputLen, k)
			if err != nil {
				t.Fatal(err)
			}
			var segs int
			var cells int64
			profiles := map[string]int{}
			add := func(s *CatalogueShape) {
				segs++
				cells += s.cells
				profiles[fmt.Sprintf("%s/2^%d", s.Profile, s.Class)]++
			}
			for i := range r.recs {
				s, err := cut.Add(&r.recs[i])
				if err != nil {
					t.Fatal(err)
				}
				if s != nil {
					add(s)
				}
			}
			s, err := cut.Finish()
			if err != nil {
				t.Fatal(err)
			}
			add(s)
			fmt.Printf("| %s | %d | 2^%d | %d | %.3g | %d | %.3g | %.2f | %v |\n", w.name, r.st.Cycles, k, natSegs, float64(natCells), segs, float64(cells), float64(cells)/float64(natCells), profiles)
		}
	}
}

// naturalCells cuts r into segments of 2^k − 1 cycles and sums their main cells at
// their natural heights.
func naturalCells(r *run, k int, width []int64) (int, int64) {
	rc := r.m.NewRowCounter()
	d := rc.NewDelta()
	s := rc.NewSegmentRows(len(r.st.Program.Code), r.st.InputLen)
	var segs int
	var cells int64
	emit := func(final bool) {
		rows := s.Rows(final)
		for t, p := range rc.Present(rows) {
			if p {
				cells += width[t] * int64(air.Height(rows[t]))
			}
		}
		segs++
		s.Reset()
	}
	for i := range r.recs {
		if s.Cycles() == min(1<<k-1, MaxCycles) {
			emit(false)
		}
		rc.Delta(&r.recs[i], d)
		s.Add(d)
	}
	emit(true)
	return segs, cells
}
