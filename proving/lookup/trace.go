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

// fingerprints writes into d (len n) the fingerprint of interaction it on each row of
// the batch: α − bus − Σ_l β^(l+1)·t_l, computed coordinate-wise on base vectors.
func fingerprints(it air.Interaction, prog *air.Program, ws *air.Workspace, in *air.Batch, scalars []field.Elem, ch *Challenges, coords *[4]field.Vector, tmp field.Vector, d []field.Ext) {
	n := in.Len
	var c0 field.Ext
	bus := field.NewExt(field.New(uint64(it.Bus.ID)))
	c0.Sub(&ch.Alpha, &bus)
	var pw field.Ext
	pw.Set(&ch.Beta)
	inited := false
	for _, t := range it.Tuple {
		v, s := prog.Value(ws, in, scalars, t)
		var negPw field.Ext
		negPw.Neg(&pw)
		if v == nil {
			var x field.Ext
			x.MulByElement(&negPw, &s)
			c0.Add(&c0, &x)
		} else {
			co := field.ExtCoords(&negPw)
			for c := range 4 {
				dst := coords[c][:n]
				if !inited {
					dst.ScalarMul(v, &co[c])
					continue
				}
				tt := tmp[:n]
				tt.ScalarMul(v, &co[c])
				dst.Add(dst, tt)
			}
			inited = true
		}
		pw.Mul(&pw, &ch.Beta)
	}
	if !inited {
		for c := range 4 {
			clear(coords[c][:n])
		}
	}
	for i := range n {
		d[i] = field.ExtFromBase(coords[0][i], coords[1][i], coords[2][i], coords[3][i])
		d[i].Add(&d[i], &c0)
	}
}

// Generate computes a table's auxiliary columns from its main (and preprocessed) trace:
// 4·NumAux base columns (the coordinates of each extension column) of n rows, and the
// cumulative sum (the running sum's last value), which the table contributes to the
// bus balance.
func Generate(a *air.AIR, l Layout, main, prep [][]field.Elem, publics []field.Elem, ch *Challenges, workers int) ([][]field.Elem, field.Ext, error) {
	var cum field.Ext
	if l.NumAux() == 0 {
		return nil, cum, nil
	}
	n := len(main[0])
	prog := air.Compile(a, Outputs(a))
	scalars := prog.Scalars(publics)
	g := len(l.Groups)
	h := make([][]field.Ext, g) // group columns
	for i := range h {
		h[i] = make([]field.Ext, n)
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
			var coords [4]field.Vector
			for c := range coords {
				coords[c] = make(field.Vector, batchLen)
			}
			tmp := make(field.Vector, batchLen)
			d := make([]field.Ext, batchLen)
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
					for _, j := range grp {
						it := a.Interactions[j]
						fingerprints(it, prog, ws, in, scalars, ch, &coords, tmp, d[:in.Len])
						if err := invert(d[:in.Len]); err != nil {
							mu.Lock()
							if firstErr == nil {
								firstErr = fmt.Errorf("lookup: table %s, interaction %q, rows %d…%d: %w", a.Name, it.Name, lo, hi-1, err)
							}
							mu.Unlock()
							continue
						}
						mv, ms := prog.Value(ws, in, scalars, it.Mult)
						for r := range in.Len {
							var t field.Ext
							if mv != nil {
								t.MulByElement(&d[r], &mv[r])
							} else {
								t.MulByElement(&d[r], &ms)
							}
							if it.Send {
								h[gi][lo+r].Add(&h[gi][lo+r], &t)
							} else {
								h[gi][lo+r].Sub(&h[gi][lo+r], &t)
							}
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
	// Running sum.
	S := make([]field.Ext, n)
	for r := range n {
		if r > 0 {
			S[r] = S[r-1]
		}
		for gi := range h {
			S[r].Add(&S[r], &h[gi][r])
		}
	}
	cum = S[n-1]
	cols := make([][]field.Elem, 4*(g+1))
	for i := range cols {
		cols[i] = make([]field.Elem, n)
	}
	put := func(col int, v []field.Ext) {
		for r := range v {
			co := field.ExtCoords(&v[r])
			for c := range 4 {
				cols[4*col+c][r] = co[c]
			}
		}
	}
	for gi := range h {
		put(gi, h[gi])
	}
	put(g, S)
	return cols, cum, nil
}

// invert replaces v by its inverses; it fails if an entry is zero.
func invert(v []field.Ext) error {
	pre := make([]field.Ext, len(v))
	var acc field.Ext
	acc.SetOne()
	for i := range v {
		if v[i].IsZero() {
			return fmt.Errorf("zero fingerprint at batch row %d", i)
		}
		pre[i] = acc
		acc.Mul(&acc, &v[i])
	}
	acc.Inverse(&acc)
	for i := len(v) - 1; i >= 0; i-- {
		var inv field.Ext
		inv.Mul(&acc, &pre[i])
		acc.Mul(&acc, &v[i])
		v[i] = inv
	}
	return nil
}
