package verifier

import (
	"fmt"
	"slices"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/merkle"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// Inputs flattens a proof and its statement (the public values and the public bus
// messages) into the input stream of the shape's program, in the order read.go
// documents. It refuses a proof or statement of another shape, naming the difference;
// it does not verify anything the program checks (a false proof of the right shape
// gives inputs on which the program's Execute fails).
func Inputs(sh *Shape, proof *stark.Proof, publics [][]field.Elem, bus []lookup.Message) ([]field.Ext, error) {
	if sh == nil || sh.Rounds == nil {
		return nil, fmt.Errorf("recursion verifier: a Shape not made by NewShape")
	}
	w := &writer{}
	T := len(sh.VK.AIRs)
	if len(publics) != T {
		return nil, shapeErr("%d public value lists for %d tables", len(publics), T)
	}
	for t := range publics {
		if len(publics[t]) != sh.NumPublics[t] {
			return nil, shapeErr("table %s: %d public values, the shape has %d", sh.VK.AIRs[t].Name, len(publics[t]), sh.NumPublics[t])
		}
		w.elems(publics[t]...)
	}
	if len(bus) != len(sh.Bus) {
		return nil, shapeErr("%d public bus messages, the shape has %d", len(bus), len(sh.Bus))
	}
	for i, m := range bus {
		if (BusShape{Bus: m.Bus, Send: m.Send, Len: len(m.Tuple)}) != sh.Bus[i] {
			return nil, shapeErr("public message %d is on bus %d (send %v, %d elements), the shape's on bus %d (send %v, %d elements)",
				i, m.Bus, m.Send, len(m.Tuple), sh.Bus[i].Bus, sh.Bus[i].Send, sh.Bus[i].Len)
		}
		w.elems(m.Mult)
		w.elems(m.Tuple...)
	}
	if err := w.proof(sh, proof); err != nil {
		return nil, err
	}
	return w.out, nil
}

// ProofInputs flattens a proof alone into the input stream of a program that Emit
// built with a Statement of cells: Inputs without the statement.
func ProofInputs(sh *Shape, proof *stark.Proof) ([]field.Ext, error) {
	if sh == nil || sh.Rounds == nil {
		return nil, fmt.Errorf("recursion verifier: a Shape not made by NewShape")
	}
	w := &writer{}
	if err := w.proof(sh, proof); err != nil {
		return nil, err
	}
	return w.out, nil
}

// proof writes the proof's part of the input stream.
func (w *writer) proof(sh *Shape, proof *stark.Proof) error {
	T := len(sh.VK.AIRs)
	if proof == nil {
		return shapeErr("no proof")
	}
	if !slices.Equal(proof.LogN, sh.LogN) {
		return shapeErr("table heights (log) %v, the shape's %v", proof.LogN, sh.LogN)
	}
	if proof.ExtDegree() != field.ExtDegree4 || proof.Hash != hash.Narrow {
		return shapeErr("a proof over the degree-%d extension with hash %v, the shape's is degree 4 with %v", proof.ExtDegree(), proof.Hash, hash.Narrow)
	}
	for name, n := range map[string]hash.Node{"main": proof.MainRoot, "aux": proof.AuxRoot, "quotient": proof.QuotRoot} {
		if !hash.Narrow.Canonical(&n) {
			return shapeErr("the %s commitment is not a %v digest", name, hash.Narrow)
		}
	}
	w.node(proof.MainRoot)
	w.node(proof.AuxRoot)
	w.node(proof.QuotRoot)
	w.elems(proof.LogUpNonce, proof.DEEPNonce)
	if len(proof.CumSums) != T {
		return shapeErr("%d cumulative sums for %d tables", len(proof.CumSums), T)
	}
	if i := w.exts(proof.CumSums); i >= 0 {
		return shapeErr("table %s: a cumulative sum of degree %d", sh.VK.AIRs[i].Name, proof.CumSums[i].Degree())
	}
	if len(proof.Values) != len(sh.Rounds) {
		return shapeErr("%d opened rounds, the shape has %d", len(proof.Values), len(sh.Rounds))
	}
	for r, rd := range sh.Rounds {
		if len(proof.Values[r]) != len(rd.Tables) {
			return shapeErr("round %d opens %d matrices, the shape %d", r, len(proof.Values[r]), len(rd.Tables))
		}
		for m, t := range rd.Tables {
			vs := proof.Values[r][m]
			if len(vs) != rd.Lists[m] {
				return shapeErr("round %d, table %s: %d points opened, the shape %d", r, sh.VK.AIRs[t].Name, len(vs), rd.Lists[m])
			}
			for pt, v := range vs {
				if len(v) != rd.Widths[m] {
					return shapeErr("round %d, table %s: %d values per point, the shape %d", r, sh.VK.AIRs[t].Name, len(v), rd.Widths[m])
				}
				if i := w.exts(v); i >= 0 {
					return shapeErr("round %d, table %s, point %d: opened value %d has degree %d", r, sh.VK.AIRs[t].Name, pt, i, v[i].Degree())
				}
			}
		}
	}
	fp, err := fri.DecodeParams(proof.PCS, sh.Params)
	if err != nil {
		return shapeErr("the FRI proof: %v", err)
	}
	if len(fp.LayerRoots) != len(sh.Arities) {
		return shapeErr("%d FRI layer commitments, the shape %d", len(fp.LayerRoots), len(sh.Arities))
	}
	for l := range fp.LayerRoots {
		if !hash.Narrow.Canonical(&fp.LayerRoots[l]) {
			return shapeErr("FRI layer commitment %d is not a %v digest", l, hash.Narrow)
		}
		w.node(fp.LayerRoots[l])
	}
	if want := 1 << (sh.LogFinal - sh.Params.LogBlowup); len(fp.FinalPoly) != want {
		return shapeErr("a final polynomial of %d coefficients, the shape %d", len(fp.FinalPoly), want)
	}
	if i := w.exts(fp.FinalPoly); i >= 0 {
		return shapeErr("final polynomial coefficient %d has degree %d", i, fp.FinalPoly[i].Degree())
	}
	w.elems(fp.Nonce)
	if len(fp.Queries) != sh.Params.NumQueries {
		return shapeErr("%d FRI queries, the shape %d", len(fp.Queries), sh.Params.NumQueries)
	}
	for q, qp := range fp.Queries {
		if len(qp.Inputs) != len(sh.Rounds) || len(qp.Layers) != len(sh.Arities) {
			return shapeErr("query %d: %d input and %d layer openings, the shape %d and %d", q, len(qp.Inputs), len(qp.Layers), len(sh.Rounds), len(sh.Arities))
		}
		for r, rd := range sh.Rounds {
			if err := w.opening(qp.Inputs[r], rd.Widths, rd.LogMax); err != nil {
				return shapeErr("query %d, round %d: %v", q, r, err)
			}
		}
		cur := sh.LogMax
		for l, a := range sh.Arities {
			if err := w.opening(qp.Layers[l], []int{field.ExtDegree4 << a}, cur-a); err != nil {
				return shapeErr("query %d, layer %d: %v", q, l, err)
			}
			cur -= a
		}
	}
	return nil
}

func shapeErr(format string, args ...any) error {
	return fmt.Errorf("recursion verifier: a proof of another shape: "+format, args...)
}

// writer appends to the input stream.
type writer struct{ out []field.Ext }

func (w *writer) elems(v ...field.Elem) {
	for _, x := range v {
		w.out = append(w.out, field.NewExt(x))
	}
}

func (w *writer) node(n hash.Node) { w.elems(n[:hash.DigestLen]...) }

// exts writes the coordinates of v's elements, up to the first one not of degree 4
// (or base), whose index it returns; -1 when every one is written.
func (w *writer) exts(v []field.Ext) int {
	for i := range v {
		if !v[i].InDegree(field.ExtDegree4) {
			return i
		}
		co := field.ExtCoords(&v[i])
		w.elems(co[:field.ExtDegree4]...)
	}
	return -1
}

func (w *writer) opening(o merkle.Opening, widths []int, depth int) error {
	if len(o.Rows) != len(widths) {
		return fmt.Errorf("%d opened rows, the shape %d", len(o.Rows), len(widths))
	}
	if o.Salts != nil {
		return fmt.Errorf("salted openings")
	}
	for i, row := range o.Rows {
		if len(row) != widths[i] {
			return fmt.Errorf("matrix %d: a row of %d elements, the shape %d", i, len(row), widths[i])
		}
		w.elems(row...)
	}
	if len(o.Path) != depth {
		return fmt.Errorf("a path of %d nodes, the shape %d", len(o.Path), depth)
	}
	for k := range o.Path {
		if !hash.Narrow.Canonical(&o.Path[k]) {
			return fmt.Errorf("path node %d is not a %v digest", k, hash.Narrow)
		}
		w.node(o.Path[k])
	}
	return nil
}
