package lookup

import (
	"fmt"
	"sync"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

const batchLen = 1024

// Outputs lists the nodes the LogUp argument reads: every tuple element and multiplicity.
func Outputs(a *air.AIR) []int32 {
	var out []int32
	for _, it := range a.Interactions {
		out = append(out, it.Tuple...)
		out = append(out, it.Mult)
	}
	return out
}

// Generate computes a table's auxiliary columns from its main (and preprocessed) trace:
// d·NumAux base columns (d the extension's degree: the coordinates of each extension column) of n rows, and the
// cumulative sum (the running sum's last value), which the table contributes to the
// bus balance. The extension arithmetic runs coordinate-wise, batch by batch.
func Generate(a *air.AIR, l Layout, main, prep [][]field.Elem, publics []field.Elem, ch *Challenges, workers int) ([][]field.Elem, field.Ext, error) {
	var cum field.Ext
	if l.NumAux() == 0 {
		return nil, cum, nil
	}
	n := len(main[0])
	prog := air.Compile(a, Outputs(a))
	scalars := prog.Scalars(publics)
	g := len(l.Groups)
	dg := ch.Degree()
	cols := make([][]field.Elem, dg*(g+1))
	for i := range cols {
		cols[i] = make([]field.Elem, n)
	}
	hcol := func(gi, lo, hi int) field.ExtVec {
		v := field.ExtVec{C: make([]field.Vector, dg)}
		for c := range dg {
			v.C[c] = cols[dg*gi+c][lo:hi]
		}
		return v
	}
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	batches := make(chan int)
	for range max(1, workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ws := prog.NewWorkspace(batchLen)
			tmp := make(field.Vector, batchLen)
			d := field.NewExtVec(dg, batchLen)
			sc := field.NewExtScratch(batchLen)
			in := &air.Batch{Main: make([][]field.Elem, len(main)), Prep: make([][]field.Elem, len(prep))}
			for lo := range batches {
				hi := min(lo+batchLen, n)
				in.Len = hi - lo
				for c := range main {
					in.Main[c] = main[c][lo:hi]
				}
				for c := range prep {
					in.Prep[c] = prep[c][lo:hi]
				}
				prog.Eval(ws, in, scalars)
				for gi, grp := range l.Groups {
					h := hcol(gi, lo, hi)
					for _, j := range grp {
						it := a.Interactions[j]
						dv := d.Slice(0, in.Len)
						fingerprintVec(it, prog, ws, in, scalars, ch, tmp, dv)
						if field.InvertExtVec(dv, dv, sc) {
							mu.Lock()
							if firstErr == nil {
								firstErr = fmt.Errorf("lookup: table %s, interaction %q, rows %d…%d: zero fingerprint", a.Name, it.Name, lo, hi-1)
							}
							mu.Unlock()
							continue
						}
						// h ∓= m / d (a receive counts negatively: addSigned subtracts sends).
						addSigned(h, dv, it, prog, ws, in, scalars, tmp)
					}
					// addSigned follows the constraint's sign convention (sends subtract);
					// the column holds Σ ±m/d with sends positive, so flip.
					for c := range h.C {
						for i := range h.C[c] {
							h.C[c][i].Neg(&h.C[c][i])
						}
					}
				}
			}
		}()
	}
	for lo := 0; lo < n; lo += batchLen {
		batches <- lo
	}
	close(batches)
	wg.Wait()
	if firstErr != nil {
		return nil, cum, firstErr
	}
	// Running sum, in place in the last column (addition is coordinate-wise).
	last := make([]field.Elem, dg)
	for c := range dg {
		var acc field.Elem
		for r := range n {
			for gi := range g {
				acc.Add(&acc, &cols[dg*gi+c][r])
			}
			cols[dg*g+c][r] = acc
		}
		last[c] = acc
	}
	return cols, field.ExtFromCoords(last), nil
}
