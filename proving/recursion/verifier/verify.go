package verifier

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/ntt"
	"github.com/oneiros-zk/oneiros/proving/recursion"
)

// verify.go and fri.go mirror proving/injector/wrap's verify.go and fri.go: the same
// walk of stark.Verify and fri's Verify (the transcript's order, the bus balance, the
// constraints at ζ, the DEEP batching, the folding), in recursion instructions where
// that package emits BN254 constraints. What the two need that is computed natively is
// shared: the shape (package verifyshape: the rounds, fri's groups and folding
// schedule, the statement's sizes), the parameters' transcript words
// (fri.Params.TranscriptWords) and the AIR's evaluation at ζ (air.EvalWith). The walk
// stays a copy, because each arithmetic orders and skips operations to fit its own
// costs: here zero accumulators and multiplications by one are skipped (each is an
// instruction), the folding points' inverses are squared from one layer to the next and
// tables of one height share their selectors; the circuit builds each inverse from the
// index bits (a selection per bit) and starts accumulators at a constant zero. The
// programs (and the circuits' IDs) are pinned by the keys made for them, so a shared
// walk would need a hook on nearly every line, which is harder to read, and to check
// line by line against stark.Verify, than either copy.

// Program emits stark.Verify for the proofs of one Shape: a recursion program whose
// input stream is Inputs' flattening of a proof and its statement, which executes
// exactly when the native verifier accepts that proof (hemera.Engine.Verify; the
// checks on sizes are NewShape's and Inputs'), and whose public outputs are the
// statement (every table's public values, then every public message's multiplicity
// and tuple).
func Program(sh *Shape) (*recursion.Program, error) {
	b := recursion.NewBuilder()
	if err := Emit(b, sh, nil); err != nil {
		return nil, err
	}
	return b.Program(), nil
}

// Statement is a proof's statement as cells of a program being built: every table's
// public values (Publics[t] has the shape's NumPublics[t] cells) and every public
// message's multiplicity and tuple (Mult[i], Tuples[i], as the shape's Bus[i]). Every
// cell is a base element: the transcript absorbs them with Perm, which refuses (fails
// to execute, and the perm table cannot prove) a cell with nonzero upper coordinates.
type Statement struct {
	Publics [][]Var
	Mult    []Var
	Tuples  [][]Var
}

// Emit emits into b the verification of one proof of shape sh, as Program does, so
// that a program can verify several proofs and relate their statements (a join). With
// st nil the statement is read from the input stream and marked public (Program's
// program); otherwise st's cells are the statement, nothing of it is read or made
// public, and the proof alone is read from the input stream (ProofInputs' flattening),
// after whatever b read before.
func Emit(b *recursion.Builder, sh *Shape, st *Statement) error {
	return EmitKey(b, sh, st, nil)
}

// Key is the part of a verifying key that differs between the keys of one AIR set at
// one set of heights — the programs of the recursion AIR set, whose program is in the
// preprocessed columns — as base cells: the digest the transcript absorbs first
// (stark.VerifyingKey.Digest) and the preprocessed commitment (PrepRoot; unused when
// the shape has no preprocessed columns).
type Key struct {
	Digest   [hash.DigestLen]Var
	PrepRoot [hash.DigestLen]Var
}

// EmitKey is Emit with the child's digest and preprocessed commitment taken from the
// cells of key (nil: the shape's, as constants, which is Emit). Everything else about
// the key — the AIRs, layouts, quotient chunks, preprocessed heights, blowup, optional
// tables — stays the shape's, as constants: the program verifies a proof under the key
// that is sh.VK with Digest and PrepRoot replaced by the cells' values, and it is the
// caller's program that must make sure those values belong together (that some key of
// sh's AIR set and heights has them: a join checks them against an allowlist of keys).
// Each cell must hold a base element (the transcript hashes them with Perm, which
// requires it).
func EmitKey(b *recursion.Builder, sh *Shape, st *Statement, key *Key) error {
	if sh == nil || sh.Rounds == nil {
		return fmt.Errorf("recursion verifier: a Shape not made by NewShape")
	}
	if st != nil {
		if len(st.Publics) != len(sh.NumPublics) || len(st.Mult) != len(sh.Bus) || len(st.Tuples) != len(sh.Bus) {
			return fmt.Errorf("recursion verifier: a statement of %d tables and %d messages (%d tuples) for a shape of %d tables and %d messages",
				len(st.Publics), len(st.Mult), len(st.Tuples), len(sh.NumPublics), len(sh.Bus))
		}
		for t, row := range st.Publics {
			if len(row) != sh.NumPublics[t] {
				return fmt.Errorf("recursion verifier: table %s: %d public cells, the shape has %d", sh.VK.AIRs[t].Name, len(row), sh.NumPublics[t])
			}
		}
		for i, tup := range st.Tuples {
			if len(tup) != sh.Bus[i].Len {
				return fmt.Errorf("recursion verifier: message %d: %d tuple cells, the shape has %d", i, len(tup), sh.Bus[i].Len)
			}
		}
	}
	o := newOps(b)
	v := &verifier{ops: o, sh: sh, st: st, key: key}
	v.verify()
	return nil
}

// verifier emits the checks of stark.Verify, in its order.
type verifier struct {
	*ops
	sh  *Shape
	st  *Statement // nil: read from the input stream
	key *Key       // nil: the shape's key, as constants
	pv  *proofVars
	tr  *challenger

	alpha  Var
	betas  []Var
	alphaQ Var
	zeta   Var
}

func (v *verifier) verify() {
	sh, vk := v.sh, v.sh.VK
	v.b.Label("input")
	pv := v.read(sh, v.st)
	v.pv = pv

	v.b.Label("shape")
	// An absent table, or one without interactions, has a zero cumulative sum; no aux
	// commitment without LogUp columns.
	for t := range pv.cums {
		if sh.LogN[t] < 0 || vk.Layouts[t].NumAux() == 0 {
			v.eq(pv.cums[t].v, v.zero())
		}
	}
	if !sh.HasAux {
		for _, x := range pv.aux {
			v.eq(x, v.zero())
		}
	}
	// A one-row table is opened at ζ and ζ·ω = ζ: package fri refuses two different
	// values at one point.
	for r, rd := range sh.Rounds {
		for m, t := range rd.Tables {
			if rd.Lists[m] == 2 && sh.LogN[t] == 0 {
				for c := range pv.values[r][m][1] {
					v.eq(pv.values[r][m][1][c].v, pv.values[r][m][0][c].v)
				}
			}
		}
	}

	// The statement, as stark's startTranscript absorbs it.
	v.b.Label("transcript")
	v.tr = newChallenger(v.ops)
	tr := v.tr
	p := sh.Params
	for _, x := range p.TranscriptWords() { // the parameters (the Narrow hash adds no tag)
		tr.observeUint(x)
	}
	if v.key != nil {
		tr.observeDigest(v.key.Digest)
	} else {
		tr.observeDigest(v.constDigest(vk.Digest[:]))
	}
	for _, l := range sh.LogN {
		tr.observeUint(uint64(l))
	}
	for t := range pv.publics {
		tr.observeUint(uint64(len(pv.publics[t])))
		tr.observe(pv.publics[t]...)
	}
	tr.observeUint(uint64(len(sh.Bus)))
	for i, m := range sh.Bus {
		tr.observeUint(uint64(m.Bus))
		if m.Send {
			tr.observeUint(1)
		} else {
			tr.observeUint(0)
		}
		tr.observe(pv.mult[i])
		tr.observeUint(uint64(m.Len))
		tr.observe(pv.tuple[i]...)
	}
	tr.observeDigest(pv.main)
	v.b.Label("pow: logup")
	tr.checkWitness(p.LogUpGrindingBits, pv.logUpPoW)
	v.b.Label("transcript")
	v.alpha = tr.sampleExt()
	v.betas = make([]Var, 1+sh.MaxTuple)
	for i := range v.betas {
		v.betas[i] = tr.sampleExt()
	}
	tr.observeExt(pv.cums...)
	tr.observeDigest(pv.aux)
	v.alphaQ = tr.sampleExt()
	tr.observeDigest(pv.quot)
	v.b.Label("pow: deep")
	tr.checkWitness(p.DEEPGrindingBits, pv.deepPoW)
	v.b.Label("transcript")
	v.zeta = tr.sampleExt()

	// The bus balances: the tables' sums and the public messages cancel.
	v.b.Label("bus")
	total := v.zero()
	for i, m := range sh.Bus {
		d := v.fingerprint(m.Bus, pv.tuple[i]) // Div asserts d ≠ 0, as PublicSum
		term := v.div(pv.mult[i], d)
		if m.Send {
			total = v.add(total, term)
		} else {
			total = v.sub(total, term)
		}
	}
	for t := range pv.cums {
		total = v.add(total, pv.cums[t].v)
	}
	v.eq(total, v.zero())

	v.constraints()
	v.pcs()
}

// fingerprint is lookup.Fingerprint: α − (Σ_l β_(l+1)·t_l + β_0·len + bus).
func (v *verifier) fingerprint(bus uint32, tuple []Var) Var {
	acc := v.mul(v.betas[0], v.cu(uint64(len(tuple))))
	for l, x := range tuple {
		acc = v.add(acc, v.mul(v.betas[l+1], x))
	}
	acc = v.add(acc, v.cu(uint64(bus)))
	return v.sub(v.alpha, acc)
}

// selectors are a table domain's selectors and vanishing polynomial at ζ.
type selectors struct{ first, last, trans, zh, zn Var }

func (s *selectors) of(sel air.Selector, one Var) Var {
	switch sel {
	case air.FirstRow:
		return s.first
	case air.LastRow:
		return s.last
	case air.Transition:
		return s.trans
	}
	return one
}

// selectorsAt is stark's selectorsAt, asserting what it requires (ζ off the domain).
func (v *verifier) selectorsAt(logN int) selectors {
	var s selectors
	one := v.one()
	zn := v.zeta
	for range logN {
		zn = v.mul(zn, zn)
	}
	s.zn = zn
	s.zh = v.sub(zn, one)
	v.inv(s.zh) // Z_H(ζ) ≠ 0
	n := v.cu(uint64(1) << logN)
	s.first = v.div(s.zh, v.mul(v.sub(v.zeta, one), n))
	wInv := ntt.RootOfUnity(logN)
	wInv.Inverse(&wInv)
	s.trans = v.sub(v.zeta, v.cb(wInv))
	s.last = v.div(s.zh, v.mul(s.trans, n))
	return s
}

// constraints emits the out-of-domain check of every present table:
// Σ_k α^k·sel_k(ζ)·C_k(ζ) = Z_H(ζ)·Q(ζ), the LogUp constraints included.
func (v *verifier) constraints() {
	sh, vk, pv := v.sh, v.sh.VK, v.pv
	matrixOf := sh.Matrix
	rMain, rAux, rQuot := sh.MainRound(), sh.AuxRound(), sh.QuotRound()
	sels := map[int]selectors{}
	one := v.one()
	for _, t := range sh.Present {
		a := vk.AIRs[t]
		v.b.Label("constraints: " + a.Name)
		logN := sh.LogN[t]
		sel, ok := sels[logN]
		if !ok {
			sel = v.selectorsAt(logN)
			sels[logN] = sel
		}
		cells := func(x []ext) []Var {
			out := make([]Var, len(x))
			for i := range x {
				out[i] = x[i].v
			}
			return out
		}
		mm := matrixOf(rMain, t)
		main, mainNext := cells(pv.values[rMain][mm][0]), cells(pv.values[rMain][mm][1])
		var prep, prepNext []Var
		if vk.HasPrep {
			if pm := matrixOf(0, t); pm >= 0 {
				prep, prepNext = cells(pv.values[0][pm][0]), cells(pv.values[0][pm][1])
			}
		}
		nodes := air.EvalWith(a, arith{v.ops}, &air.Opened[Var]{Main: main, MainNext: mainNext, Prep: prep, PrepNext: prepNext, Publics: pv.publics[t]})
		// Σ_k α_Q^k·sel_k·C_k, the AIR's constraints then the LogUp ones.
		sum := v.zero()
		var coeff Var
		k := 0
		term := func(val Var, s air.Selector) {
			if s != air.EveryRow {
				val = v.mul(val, sel.of(s, one))
			}
			if k > 0 {
				val = v.mul(val, coeff)
			}
			sum = v.add(sum, val)
			if k == 0 {
				coeff = v.alphaQ
			} else {
				coeff = v.mul(coeff, v.alphaQ)
			}
			k++
		}
		for _, c := range a.Constraints {
			term(nodes[c.Root], c.Sel)
		}
		if l := vk.Layouts[t]; l.NumAux() > 0 {
			am := matrixOf(rAux, t)
			auxCur, auxNext := v.extColumns(cells(pv.values[rAux][am][0])), v.extColumns(cells(pv.values[rAux][am][1]))
			vals, vsels := v.logUpAt(a, l.Groups, nodes, auxCur, auxNext, pv.cums[t].v)
			for i := range vals {
				term(vals[i], vsels[i])
			}
		}
		chunks := v.extColumns(cells(pv.values[rQuot][matrixOf(rQuot, t)][0]))
		qz := chunks[0]
		pw := sel.zn
		for i, c := range chunks[1:] {
			qz = v.add(qz, v.mul(c, pw))
			if i+2 < len(chunks) {
				pw = v.mul(pw, sel.zn)
			}
		}
		v.eq(v.mul(qz, sel.zh), sum)
	}
}

// logUpAt is lookup.EvalPoint: each group's h·Π d_j − Σ ±m_j·Π_(k≠j) d_k, then the
// running sum's first-row, transition and last-row constraints.
func (v *verifier) logUpAt(a *air.AIR, groups [][]int, nodes, auxCur, auxNext []Var, cumsum Var) ([]Var, []air.Selector) {
	var vals []Var
	var sels []air.Selector
	for gi, grp := range groups {
		d := make([]Var, len(grp))
		for k, j := range grp {
			it := a.Interactions[j]
			tuple := make([]Var, len(it.Tuple))
			for i, x := range it.Tuple {
				tuple[i] = nodes[x]
			}
			d[k] = v.fingerprint(it.Bus.ID, tuple)
		}
		prod := d[0]
		for _, x := range d[1:] {
			prod = v.mul(prod, x)
		}
		sum := v.mul(auxCur[gi], prod)
		for k, j := range grp {
			it := a.Interactions[j]
			other := nodes[it.Mult]
			for k2 := range grp {
				if k2 != k {
					other = v.mul(other, d[k2])
				}
			}
			if it.Send {
				sum = v.sub(sum, other)
			} else {
				sum = v.add(sum, other)
			}
		}
		vals = append(vals, sum)
		sels = append(sels, air.EveryRow)
	}
	g := len(groups)
	sumH, sumHn := auxCur[0], auxNext[0]
	for gi := 1; gi < g; gi++ {
		sumH = v.add(sumH, auxCur[gi])
		sumHn = v.add(sumHn, auxNext[gi])
	}
	vals = append(vals, v.sub(auxCur[g], sumH))
	vals = append(vals, v.sub(v.sub(auxNext[g], auxCur[g]), sumHn))
	vals = append(vals, v.sub(auxCur[g], cumsum))
	sels = append(sels, air.FirstRow, air.Transition, air.LastRow)
	return vals, sels
}
