package verifier

import "github.com/oneiros-zk/oneiros/proving/field"

// The input stream, in order (Inputs writes it, read reads it; every value is a base
// element, an extension element as its four coordinates):
//
//  1. the statement: every table's public values (table order), then every public
//     message's multiplicity and tuple — the program's public outputs, in this order;
//  2. the main, aux and quotient commitments (eight elements each; the aux one is zero
//     when no table has LogUp columns);
//  3. the LogUp and DEEP proof-of-work nonces;
//  4. every table's cumulative sum;
//  5. the opened values, [round][matrix][point][column];
//  6. the FRI proof: the layer commitments, the final polynomial's coefficients, the
//     nonce, then per query, per round the opened rows (matrix order) and the
//     authentication path, then per layer the opened row and the path.

// opening is a Merkle opening: one row per matrix and the path, leaf level first; for
// a FRI layer, also the row's extension elements (exts: every four cells of rows[0]).
type opening struct {
	rows [][]Var
	path []digest
	exts []Var
}

// query is the answer to one FRI query.
type query struct {
	inputs []opening // one per round
	layers []opening // one per committed layer
}

// proofVars are the cells the input stream fills.
type proofVars struct {
	publics  [][]Var
	mult     []Var
	tuple    [][]Var
	main     digest
	aux      digest
	quot     digest
	logUpPoW Var
	deepPoW  Var
	cums     []ext
	values   [][][][]ext // [round][matrix][point][column]

	layerRoots []digest
	final      []ext
	friPoW     Var
	queries    []query
}

func (o *ops) inBase() Var { return o.b.InputBase() }

// inExt reads an extension element's four coordinates, as cells and as the element
// (one input_base4 instruction).
func (o *ops) inExt() ext {
	var x ext
	x.c, x.v = o.b.InputExt4()
	return x
}

func (o *ops) inDigest() digest {
	var d digest
	copy(d[:], o.b.InputBases(len(d)))
	return d
}

func (o *ops) inOpening(widths []int, depth int) opening {
	var op opening
	for _, w := range widths {
		op.rows = append(op.rows, o.b.InputBases(w))
	}
	for range depth {
		op.path = append(op.path, o.inDigest())
	}
	return op
}

// inLayerOpening reads a FRI layer's opening: a row of exts extension elements (their
// coordinates, as inOpening's row, and the elements) and the path.
func (o *ops) inLayerOpening(exts, depth int) opening {
	var op opening
	row := make([]Var, 0, field.ExtDegree4*exts)
	for range exts {
		x := o.inExt()
		row = append(row, x.c[:]...)
		op.exts = append(op.exts, x.v)
	}
	op.rows = [][]Var{row}
	for range depth {
		op.path = append(op.path, o.inDigest())
	}
	return op
}

// read emits the input instructions of a proof of the shape, in the stream's order,
// and marks the statement public.
func (o *ops) read(sh *Shape, st *Statement) *proofVars {
	pv := &proofVars{}
	if st != nil {
		pv.publics, pv.mult, pv.tuple = st.Publics, st.Mult, st.Tuples
	} else {
		for t := range sh.NumPublics {
			row := make([]Var, sh.NumPublics[t])
			for i := range row {
				row[i] = o.inBase()
				o.b.Public(row[i])
			}
			pv.publics = append(pv.publics, row)
		}
		for _, m := range sh.Bus {
			x := o.inBase()
			o.b.Public(x)
			pv.mult = append(pv.mult, x)
			tup := make([]Var, m.Len)
			for i := range tup {
				tup[i] = o.inBase()
				o.b.Public(tup[i])
			}
			pv.tuple = append(pv.tuple, tup)
		}
	}
	pv.main, pv.aux, pv.quot = o.inDigest(), o.inDigest(), o.inDigest()
	pv.logUpPoW, pv.deepPoW = o.inBase(), o.inBase()
	for range sh.VK.AIRs {
		pv.cums = append(pv.cums, o.inExt())
	}
	pv.values = make([][][][]ext, len(sh.Rounds))
	for r, rd := range sh.Rounds {
		pv.values[r] = make([][][]ext, len(rd.Tables))
		for m := range rd.Tables {
			pv.values[r][m] = make([][]ext, rd.Lists[m])
			for p := range rd.Lists[m] {
				for range rd.Widths[m] {
					pv.values[r][m][p] = append(pv.values[r][m][p], o.inExt())
				}
			}
		}
	}
	for range sh.Arities {
		pv.layerRoots = append(pv.layerRoots, o.inDigest())
	}
	for range 1 << (sh.LogFinal - sh.Params.LogBlowup) {
		pv.final = append(pv.final, o.inExt())
	}
	pv.friPoW = o.inBase()
	for range sh.Params.NumQueries {
		var q query
		for _, rd := range sh.Rounds {
			q.inputs = append(q.inputs, o.inOpening(rd.Widths, rd.LogMax))
		}
		cur := sh.LogMax
		for _, a := range sh.Arities {
			q.layers = append(q.layers, o.inLayerOpening(1<<a, cur-a))
			cur -= a
		}
		pv.queries = append(pv.queries, q)
	}
	return pv
}
