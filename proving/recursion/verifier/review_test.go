package verifier

// Attacker-minded review of the emitted verifier: differential checks of the places
// where the program could be weaker than the native verifier (proofs of work, the FRI
// domain points and folding inverses, mixed-height Merkle openings, ζ on the trace
// domain, statement cells that are not base elements, an absent table's cumulative sum)
// and a demonstration of EmitKey's contract (the key digest alone does not bind the
// preprocessed commitment). Every test passes: no forgery of the program was found.

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/merkle"
	"github.com/oneiros-zk/oneiros/proving/ntt"
	"github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// nativePoint is package fri's domainPoint: shift(logL)·ω^bitrev(i).
func nativePoint(logL, i int) field.Elem {
	w := ntt.RootOfUnity(logL)
	var x field.Elem
	x.ExpInt64(w, int64(ntt.Reverse(uint64(i), logL)))
	s := fri.Shift(logL)
	x.Mul(&x, &s)
	return x
}

// bitsOf is the n low bits of i, least significant first, as base elements.
func bitsOf(i, n int) []field.Ext {
	out := make([]field.Ext, n)
	for b := range out {
		out[b] = field.NewExt(field.New(uint64(i >> b & 1)))
	}
	return out
}

// The query's domain points and the inverses the folding uses are package fri's, for
// every index of every small layer and every arity: domainPoint(L, i), and
// domainFactorInv(L, g, a)·constFactorInv(L, 2j) = 1/domainPoint(L, (g << a) + 2j), and
// the squares the later folding steps take are the next layer's points.
func TestReviewDomainPoints(t *testing.T) {
	for L := 1; L <= 7; L++ {
		// domainPoint on every index of the layer, in one program.
		b := recursion.NewBuilder()
		v := &verifier{ops: newOps(b)}
		var in []field.Ext
		for i := range 1 << L {
			bits := make([]Var, L)
			for k := range bits {
				bits[k] = b.InputBase()
			}
			in = append(in, bitsOf(i, L)...)
			b.Public(v.domainPoint(L, bits))
		}
		p := b.Program()
		mem, err := p.Execute(in)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range p.Publics {
			if want := field.NewExt(nativePoint(L, i)); !mem[c].Equal(&want) {
				t.Fatalf("domainPoint(%d, %d) = %v, fri's is %v", L, i, mem[c], want)
			}
			if L > 1 && i < 1<<(L-1) { // domainPoint(L, 2i)² = domainPoint(L−1, i)
				x, y := nativePoint(L, 2*i), nativePoint(L-1, i)
				x.Square(&x)
				if x != y {
					t.Fatalf("domainPoint(%d, %d)² ≠ domainPoint(%d, %d)", L, 2*i, L-1, i)
				}
			}
		}
		// The folding inverses at every arity a ≤ L, every group g.
		for a := 1; a <= L; a++ {
			b := recursion.NewBuilder()
			v := &verifier{ops: newOps(b)}
			var in []field.Ext
			var want []field.Elem
			for g := range 1 << (L - a) {
				gbits := make([]Var, L-a)
				for k := range gbits {
					gbits[k] = b.InputBase()
				}
				in = append(in, bitsOf(g, L-a)...)
				xg := v.domainFactorInv(L, gbits, a)
				for j := range 1 << (a - 1) {
					b.Public(v.mulc(xg, constFactorInv(L, 2*j)))
					x := nativePoint(L, g<<a+2*j)
					want = append(want, inverse(x))
				}
			}
			p := b.Program()
			mem, err := p.Execute(in)
			if err != nil {
				t.Fatal(err)
			}
			for k, c := range p.Publics {
				if w := field.NewExt(want[k]); !mem[c].Equal(&w) {
					t.Fatalf("L %d arity %d: folding inverse %d is %v, want %v", L, a, k, mem[c], w)
				}
			}
		}
	}
}

// Mixed-height Merkle openings: for every index of a tree of five matrices of four
// heights (two of the tallest, rows longer and shorter than a hash block), the program
// accepts exactly the native verifier's openings — the honest one, and none with one
// element of a row or of the path changed, with two same-height matrices' rows
// exchanged, or opened at another index.
func TestReviewMerkleMixedHeights(t *testing.T) {
	shapes := []struct{ w, logH int }{{3, 4}, {9, 4}, {1, 2}, {17, 1}, {2, 0}}
	var mats []merkle.Matrix
	var dims []merkle.Dim
	var logs []int
	x := uint64(7)
	for _, s := range shapes {
		m := merkle.Matrix{Cols: make([][]field.Elem, s.w)}
		for c := range m.Cols {
			m.Cols[c] = make([]field.Elem, 1<<s.logH)
			for r := range m.Cols[c] {
				x = x*6364136223846793005 + 1442695040888963407
				m.Cols[c][r] = field.New(x >> 33)
			}
		}
		mats = append(mats, m)
		dims = append(dims, merkle.Dim{Width: s.w, LogHeight: s.logH})
		logs = append(logs, s.logH)
	}
	tree, err := merkle.Commit(mats, 1)
	if err != nil {
		t.Fatal(err)
	}
	root := tree.Root()
	const logMax = 4
	widths := make([]int, len(shapes))
	for i, s := range shapes {
		widths[i] = s.w
	}
	b := recursion.NewBuilder()
	v := &verifier{ops: newOps(b)}
	op := v.inOpening(widths, logMax)
	bits := make([]Var, logMax)
	for k := range bits {
		bits[k] = b.InputBase()
	}
	v.merkle(v.constDigest(root[:hash.DigestLen]), logs, op, bits)
	prog := b.Program()

	stream := func(o merkle.Opening, idx int) []field.Ext {
		var in []field.Ext
		for _, row := range o.Rows {
			for _, e := range row {
				in = append(in, field.NewExt(e))
			}
		}
		for _, n := range o.Path {
			for _, e := range n[:hash.DigestLen] {
				in = append(in, field.NewExt(e))
			}
		}
		return append(in, bitsOf(idx, logMax)...)
	}
	clone := func(o merkle.Opening) merkle.Opening {
		c := merkle.Opening{Path: append([]hash.Node(nil), o.Path...)}
		for _, r := range o.Rows {
			c.Rows = append(c.Rows, append([]field.Elem(nil), r...))
		}
		return c
	}
	agree := func(what string, o merkle.Opening, idx int) {
		t.Helper()
		nerr := merkle.Verify(hash.Narrow, root, dims, idx, o)
		_, perr := prog.Execute(stream(o, idx))
		if (nerr == nil) != (perr == nil) {
			t.Fatalf("%s: native %v, program %v", what, nerr, perr)
		}
	}
	one := field.New(1)
	for idx := range 1 << logMax {
		o := tree.Open(idx)
		if err := merkle.Verify(hash.Narrow, root, dims, idx, o); err != nil {
			t.Fatal(err)
		}
		if _, err := prog.Execute(stream(o, idx)); err != nil {
			t.Fatalf("index %d: honest opening: %v", idx, err)
		}
		for m := range o.Rows {
			for c := range o.Rows[m] {
				bad := clone(o)
				bad.Rows[m][c].Add(&bad.Rows[m][c], &one)
				agree(fmt.Sprintf("index %d row %d[%d]", idx, m, c), bad, idx)
			}
		}
		for k := range o.Path {
			for e := range hash.DigestLen {
				bad := clone(o)
				bad.Path[k][e].Add(&bad.Path[k][e], &one)
				agree(fmt.Sprintf("index %d path %d[%d]", idx, k, e), bad, idx)
			}
		}
		// The two tallest matrices' first elements exchanged (the leaf hashes their
		// concatenation).
		bad := clone(o)
		bad.Rows[0][0], bad.Rows[1][0] = bad.Rows[1][0], bad.Rows[0][0]
		agree(fmt.Sprintf("index %d: rows exchanged", idx), bad, idx)
		agree(fmt.Sprintf("index %d opened as %d", idx, idx^5), o, idx^5)
	}
}

// ζ on the trace domain: the program's selectors assert Z_H(ζ) ≠ 0 (the native verifier
// rejects "the out-of-domain point lies on the trace domain"), so it fails for every
// point of H and executes off it.
func TestReviewZetaOnTraceDomain(t *testing.T) {
	for logN := range 4 {
		b := recursion.NewBuilder()
		v := &verifier{ops: newOps(b)}
		v.zeta = b.Input()
		v.selectorsAt(logN)
		p := b.Program()
		w := ntt.RootOfUnity(logN)
		var x field.Elem
		x.SetOne()
		for i := range 1 << logN {
			if _, err := p.Execute([]field.Ext{field.NewExt(x)}); err == nil {
				t.Fatalf("logN %d: ζ = ω^%d executes", logN, i)
			}
			x.Mul(&x, &w)
		}
		off := field.ExtFromCoords([]field.Elem{field.New(5), field.New(1), field.New(0), field.New(2)})
		if _, err := p.Execute([]field.Ext{off}); err != nil {
			t.Fatalf("logN %d: ζ off the domain: %v", logN, err)
		}
		if _, err := p.Execute([]field.Ext{{}}); err != nil { // ζ = 0 is off every H
			t.Fatalf("logN %d: ζ = 0: %v", logN, err)
		}
	}
}

// reviewSystem is small with every proof of work at 3 bits: a fib table with publics, a
// sender and a receiver with a public message.
func reviewSystem(t *testing.T) *system {
	p := testParams
	p.FRI.GrindingBits, p.FRI.LogUpGrindingBits, p.FRI.DEEPGrindingBits = 3, 3, 3
	return prove(t, p, []starktest.Table{starktest.Fib(3), starktest.Sender(3), starktest.Receiver(3)}, starktest.SenderPublic())
}

// The proofs of work: for many nonces of each of the three, the native verifier's
// verdict and the program's agree — a nonce that fails the native proof-of-work check
// fails the program at that check, and one that meets it (the honest nonce, and others
// that happen to) passes it, the proof then failing later in both (the challenges after
// it changed) unless it is the honest one.
func TestReviewGrindingDifferential(t *testing.T) {
	s := reviewSystem(t)
	sh, err := ShapeOf(s.vk, s.e.Params(), s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := Program(sh)
	if err != nil {
		t.Fatal(err)
	}
	fp := s.e.Params().FRI
	honestFRI, err := fri.DecodeParams(s.proof.PCS, fp)
	if err != nil {
		t.Fatal(err)
	}
	type nonce struct {
		name, label string
		honest      field.Elem
		set         func(p *stark.Proof, n field.Elem)
	}
	nonces := []nonce{
		{"logup", "pow: logup", s.proof.LogUpNonce, func(p *stark.Proof, n field.Elem) { p.LogUpNonce = n }},
		{"deep", "pow: deep", s.proof.DEEPNonce, func(p *stark.Proof, n field.Elem) { p.DEEPNonce = n }},
		{"fri", "pow: fri", honestFRI.Nonce, func(p *stark.Proof, n field.Elem) {
			f, err := fri.DecodeParams(p.PCS, fp)
			if err != nil {
				t.Fatal(err)
			}
			f.Nonce = n
			p.PCS = f.Encode()
		}},
	}
	tries := 24
	if testing.Short() {
		tries = 12
	}
	for _, nc := range nonces {
		passed, failed := 0, 0
		for k := range tries + 1 {
			n := field.New(uint64(k))
			if k == tries {
				n = nc.honest
			}
			proof, err := stark.Decode(s.proof.Encode())
			if err != nil {
				t.Fatal(err)
			}
			nc.set(proof, n)
			nerr := s.e.Verify(s.vk, proof, s.publics, s.bus)
			var se *stark.Error
			var fe *fri.Error
			nativePow := errors.As(nerr, &se) && se.Check == "pow" || errors.As(nerr, &fe) && fe.Check == "pow"
			in, err := Inputs(sh, proof, s.publics, s.bus)
			if err != nil {
				t.Fatal(err)
			}
			_, perr := prog.Execute(in)
			var ee *recursion.ExecError
			programPow := errors.As(perr, &ee) && ee.Label == nc.label
			if (nerr == nil) != (perr == nil) || nativePow != programPow {
				t.Fatalf("%s nonce %d: native %v; program %v", nc.name, k, nerr, perr)
			}
			if nativePow {
				failed++
			} else {
				passed++
			}
		}
		if passed == 0 || failed == 0 {
			t.Fatalf("%s: %d nonces met the proof of work, %d did not: the test exercises one side only", nc.name, passed, failed)
		}
		t.Logf("%s: %d of %d nonces (0…%d and the honest %d) meet 3 bits, in both verifiers", nc.name, passed, tries+1, tries-1, nc.honest.Uint64())
	}
}

// Statement cells that are not base elements cannot be verified: Emit's doc asks the
// caller for base cells, and the program enforces it anyway — every statement cell is
// absorbed by the transcript, whose Perm reads only base cells (the recursion AIR set's
// perm table receives (cell, x, 0, 0, 0)). A public value given as an extension input
// executes when it is a base element and fails otherwise.
func TestReviewStatementCellsMustBeBase(t *testing.T) {
	s := reviewSystem(t)
	sh, err := ShapeOf(s.vk, s.e.Params(), s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.publics[0]) == 0 || len(s.bus) == 0 {
		t.Fatal("the system has no public value or message")
	}
	// Every statement cell is an extension input: the first table's publics, then each
	// message's multiplicity and tuple.
	b := recursion.NewBuilder()
	st := &Statement{}
	var vals []field.Elem
	for t := range sh.NumPublics {
		row := make([]Var, sh.NumPublics[t])
		for i := range row {
			row[i] = b.Input()
			vals = append(vals, s.publics[t][i])
		}
		st.Publics = append(st.Publics, row)
	}
	for i, m := range sh.Bus {
		st.Mult = append(st.Mult, b.Input())
		vals = append(vals, s.bus[i].Mult)
		tup := make([]Var, m.Len)
		for j := range tup {
			tup[j] = b.Input()
			vals = append(vals, s.bus[i].Tuple[j])
		}
		st.Tuples = append(st.Tuples, tup)
	}
	if err := Emit(b, sh, st); err != nil {
		t.Fatal(err)
	}
	prog := b.Program()
	rest, err := ProofInputs(sh, s.proof)
	if err != nil {
		t.Fatal(err)
	}
	stream := func(bad int) []field.Ext {
		in := make([]field.Ext, len(vals))
		for i, x := range vals {
			in[i] = field.NewExt(x)
			if i == bad { // x + X·1: the same coordinate 0, a nonzero coordinate 1
				in[i] = field.ExtFromCoords([]field.Elem{x, field.New(1), {}, {}})
			}
		}
		return append(in, rest...)
	}
	if _, err := prog.Execute(stream(-1)); err != nil {
		t.Fatalf("base statement cells: %v", err)
	}
	for i := range vals {
		_, err := prog.Execute(stream(i))
		var ee *recursion.ExecError
		if !errors.As(err, &ee) || ee.Op != recursion.OpPerm {
			t.Fatalf("statement cell %d not a base element: %v (want a permutation's refusal)", i, err)
		}
	}
}

// An absent optional table's cumulative sum is zero in the program as natively, even
// when another table's sum makes up for it (the bus still balances): the program fails
// at the shape check, the native verifier at its shape check.
func TestReviewAbsentTableCumSum(t *testing.T) {
	bytesT, counts := starktest.Bytes(5, 4)
	users, mult := starktest.CubeUsers(4)
	tables := []starktest.Table{starktest.Range8(counts), bytesT, users, starktest.Cubes(6, mult)}
	e, err := hemera.New(testParams)
	if err != nil {
		t.Fatal(err)
	}
	airs, prep, w := starktest.Collect(tables, nil)
	pk, vk, err := e.Setup(airs, prep, []bool{false, false, true, true})
	if err != nil {
		t.Fatal(err)
	}
	w.Main = [][][]field.Elem{w.Main[0], w.Main[1], nil, nil}
	proof, err := e.Prove(pk, w)
	if err != nil {
		t.Fatal(err)
	}
	s := &system{e: e, vk: vk, proof: proof, publics: w.Publics}
	checkHonest(t, s)
	one := field.NewExt(field.New(1))
	proof.CumSums[3].Add(&proof.CumSums[3], &one)
	proof.CumSums[0].Sub(&proof.CumSums[0], &one)
	var se *stark.Error
	if err := e.Verify(vk, proof, w.Publics, nil); !errors.As(err, &se) || se.Check != "shape" {
		t.Fatalf("native: %v", err)
	}
	_, _, err = s.run(t, proof, s.publics, nil)
	var ee *recursion.ExecError
	if !errors.As(err, &ee) || ee.Label != "shape" {
		t.Fatalf("program: %v", err)
	}
}

// EmitKey's contract, demonstrated: the key's digest and preprocessed commitment are
// independent cells, and the digest alone does not bind the commitment (the program
// does not recompute stark's key digest). A cheater sets up the same AIRs with another
// preprocessed table — a cube table with 5³ = 126 — and proves with the honest key's
// digest in its transcript: under a program that pins only the digest to the honest
// key's, the false proof executes; pinning the commitment too (as core/aggregate's
// allowlist entries, which hash both, do) refuses it, and so does the native verifier.
// A join must check the pair.
func TestReviewEmitKeyDigestAloneDoesNotBindPrepRoot(t *testing.T) {
	e, err := hemera.New(testParams)
	if err != nil {
		t.Fatal(err)
	}
	users, mult := starktest.CubeUsers(4)
	honest := starktest.Cubes(6, mult)
	_, vkA, err := e.Setup([]*air.AIR{users.AIR, honest.AIR}, [][][]field.Elem{nil, honest.Prep})
	if err != nil {
		t.Fatal(err)
	}
	// The cheater's cube table says 5³ = 126, and its users look up (5, 126).
	fake := starktest.Cubes(6, mult)
	fake.Prep[1][5] = field.New(126)
	fakeUsers := users
	fakeUsers.Main = [][]field.Elem{append([]field.Elem(nil), users.Main[0]...), append([]field.Elem(nil), users.Main[1]...)}
	found := false
	for r := range fakeUsers.Main[0] {
		if fakeUsers.Main[0][r] == field.New(5) {
			fakeUsers.Main[1][r] = field.New(126)
			found = true
		}
	}
	if !found {
		t.Fatal("no user looks up 5")
	}
	pkB, vkB, err := e.Setup([]*air.AIR{users.AIR, fake.AIR}, [][][]field.Elem{nil, fake.Prep})
	if err != nil {
		t.Fatal(err)
	}
	if vkB.PrepRoot == vkA.PrepRoot {
		t.Fatal("the two keys have one preprocessed commitment")
	}
	// The cheater's proving key with the honest digest: the transcript starts as an
	// honest proof's would.
	pk := *pkB
	vk := *pkB.VK
	vk.Digest = vkA.Digest
	pk.VK = &vk
	w := &stark.Witness{Main: [][][]field.Elem{fakeUsers.Main, fake.Main}, Publics: [][]field.Elem{nil, nil}}
	proof, err := e.Prove(&pk, w)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Verify(vkA, proof, w.Publics, nil); err == nil {
		t.Fatal("the native verifier accepts the cheater's proof under the honest key")
	}
	if err := e.Verify(&vk, proof, w.Publics, nil); err != nil {
		t.Fatalf("the cheater's proof under its own key: %v", err)
	}
	sh, err := ShapeOf(vkA, e.Params(), proof, w.Publics, nil)
	if err != nil {
		t.Fatal(err)
	}
	rest, err := Inputs(sh, proof, w.Publics, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The digest pinned to the honest key's (constants), the commitment a free input.
	build := func(pinRoot bool) *recursion.Program {
		b := recursion.NewBuilder()
		var key Key
		for i := range key.Digest {
			key.Digest[i] = b.ConstBase(vkA.Digest[i])
		}
		for i := range key.PrepRoot {
			if pinRoot {
				key.PrepRoot[i] = b.ConstBase(vkA.PrepRoot[i])
			} else {
				key.PrepRoot[i] = b.InputBase()
			}
		}
		if err := EmitKey(b, sh, nil, &key); err != nil {
			t.Fatal(err)
		}
		return b.Program()
	}
	var in []field.Ext
	for _, x := range vkB.PrepRoot[:hash.DigestLen] {
		in = append(in, field.NewExt(x))
	}
	if _, err := build(false).Execute(append(in, rest...)); err != nil {
		t.Fatalf("expected the documented gap (digest pinned alone) to accept the cheater's proof; the program now refuses it: %v — EmitKey binds more than its doc says, update this test and the doc", err)
	}
	_, err = build(true).Execute(rest)
	var ee *recursion.ExecError
	if !errors.As(err, &ee) || !strings.Contains(ee.Label, "input openings") {
		t.Fatalf("the digest and commitment pinned: %v", err)
	}
}

// False witnesses, proven by the honest prover (which checks nothing) and verified by
// both verifiers without proofs of work (so that each reaches the check that catches
// it): a fib table claiming another output, a fib trace with one wrong row, a receiver
// whose multiplicity does not match its sender (an unbalanced bus), and a sender
// flagging a value the statement's messages do not receive. The native verifier rejects
// each, and the program fails at the matching part.
func TestReviewFalseWitnesses(t *testing.T) {
	p := testParams
	p.FRI.GrindingBits, p.FRI.LogUpGrindingBits, p.FRI.DEEPGrindingBits = 0, 0, 0
	type witness struct {
		tables []starktest.Table
		bus    []lookup.Message
	}
	honest := func() witness {
		return witness{[]starktest.Table{starktest.Fib(3), starktest.Sender(3), starktest.Receiver(3)}, starktest.SenderPublic()}
	}
	one := field.New(1)
	cases := map[string]struct {
		cheat  func(w *witness)
		native string // the native check (stark.Error.Check, or the FRI check under "pcs")
		label  string // a substring of the program's failing label
	}{
		"fib output claimed +1": {func(w *witness) { w.tables[0].Publics[2].Add(&w.tables[0].Publics[2], &one) }, "constraints", "constraints: fib"},
		"fib row 5 wrong":       {func(w *witness) { w.tables[0].Main[1][5].Add(&w.tables[0].Main[1][5], &one) }, "constraints", "constraints: fib"},
		"receiver multiplicity": {func(w *witness) { w.tables[2].Main[2][3].Add(&w.tables[2].Main[2][3], &one) }, "bus", "bus"},
		"sender flags another":  {func(w *witness) { w.tables[1].Main[2][4] = one }, "bus", "bus"},
	}
	// The shape and program are the honest system's (the cheats keep every size).
	hs := prove(t, p, honest().tables, honest().bus)
	sh, err := ShapeOf(hs.vk, hs.e.Params(), hs.proof, hs.publics, hs.bus)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := Program(sh)
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			w := honest()
			for i := range w.tables {
				tb := &w.tables[i]
				main := make([][]field.Elem, len(tb.Main))
				for j := range tb.Main {
					main[j] = append([]field.Elem(nil), tb.Main[j]...)
				}
				tb.Main = main
				tb.Publics = append([]field.Elem(nil), tb.Publics...)
			}
			c.cheat(&w)
			pk, vk, err := hs.e.Setup([]*air.AIR{w.tables[0].AIR, w.tables[1].AIR, w.tables[2].AIR}, [][][]field.Elem{nil, nil, nil})
			if err != nil {
				t.Fatal(err)
			}
			wi := &stark.Witness{Bus: w.bus}
			for _, tb := range w.tables {
				wi.Main = append(wi.Main, tb.Main)
				wi.Publics = append(wi.Publics, tb.Publics)
			}
			proof, err := hs.e.Prove(pk, wi)
			if err != nil {
				t.Skipf("the prover refuses the false witness: %v", err)
			}
			nerr := hs.e.Verify(vk, proof, wi.Publics, w.bus)
			if nerr == nil {
				t.Fatal("the native verifier accepts a false witness")
			}
			in, err := Inputs(sh, proof, wi.Publics, w.bus)
			if err != nil {
				t.Fatal(err)
			}
			_, perr := prog.Execute(in)
			var ee *recursion.ExecError
			if !errors.As(perr, &ee) {
				t.Fatalf("the program executes on a false witness the native verifier rejects (%v)", nerr)
			}
			var se *stark.Error
			if c.native != "" && (!errors.As(nerr, &se) || se.Check != c.native) {
				t.Errorf("native: %v, want the %s check", nerr, c.native)
			}
			if !strings.Contains(ee.Label, c.label) {
				t.Errorf("program failed at %q, want %q", ee.Label, c.label)
			}
			t.Logf("native: %v; program: %v", nerr, perr)
		})
	}
}

// A sweep of FRI configurations — blowups 2, 4 and 8, folding arities 2 to 16, final
// polynomials of 1 to 16 coefficients — over tables of six heights (one row, two rows,
// 2^3, 2^4, 2^5, and a 256-row preprocessed range table), so that the folding schedule
// stops at every height it must roll in: the honest proof executes (the program is as
// complete as the native verifier), and changing any of a few pseudo-random inputs
// makes it fail (the 48 configurations take about a second).
func TestReviewConfigurationSweep(t *testing.T) {
	bytesT, counts := starktest.Bytes(4, 2)
	tables := []starktest.Table{starktest.Fib(0), starktest.Fib(1), starktest.Wide(3, 6, 2), starktest.Fib(5),
		bytesT, starktest.Range8(counts), starktest.Sender(4), starktest.Receiver(4)}
	k := 0
	for _, blowup := range []int{1, 2, 3} {
		for arity := 1; arity <= 4; arity++ {
			for _, final := range []int{0, 1, 2, 4} {
				k++
				f := fri.Params{LogBlowup: blowup, NumQueries: 2, LogArity: arity, LogFinalPolyLen: final}
				t.Run(fmt.Sprintf("blowup%d-arity%d-final%d", blowup, arity, final), func(t *testing.T) {
					s := prove(t, hemera.Params{FRI: f, Workers: 2}, tables, starktest.SenderPublic())
					prog := checkHonest(t, s)
					sh, err := ShapeOf(s.vk, s.e.Params(), s.proof, s.publics, s.bus)
					if err != nil {
						t.Fatal(err)
					}
					in, err := Inputs(sh, s.proof, s.publics, s.bus)
					if err != nil {
						t.Fatal(err)
					}
					one := field.NewExt(field.New(1))
					x := uint64(k)
					for range 4 {
						x = x*6364136223846793005 + 1442695040888963407
						i := int(x>>33) % len(in)
						bad := append([]field.Ext(nil), in...)
						bad[i].Add(&bad[i], &one)
						if _, err := prog.Execute(bad); err == nil {
							t.Fatalf("input %d of %d changed, the program still executes", i, len(in))
						}
					}
				})
			}
		}
	}
}

// A public message whose fingerprint is zero (α equal to bus + β_0·len + Σ β_(l+1)·t_l):
// the native verifier rejects it (lookup.PublicSum) and the program's division by it
// fails (Div asserts an inverse); any other α executes and the term equals
// lookup's mult/fingerprint.
func TestReviewZeroFingerprint(t *testing.T) {
	const bus, n = 7, 3
	b := recursion.NewBuilder()
	v := &verifier{ops: newOps(b)}
	v.alpha = b.Input()
	for range n + 1 {
		v.betas = append(v.betas, b.Input())
	}
	mult := b.InputBase()
	tup := make([]Var, n)
	for i := range tup {
		tup[i] = b.InputBase()
	}
	b.Public(v.div(mult, v.fingerprint(bus, tup)))
	prog := b.Program()

	rnd := func(s uint64) field.Ext {
		c := make([]field.Elem, 4)
		for i := range c {
			s = s*6364136223846793005 + 1442695040888963407
			c[i] = field.New(s >> 33)
		}
		return field.ExtFromCoords(c)
	}
	ch := &lookup.Challenges{}
	for i := range n + 1 {
		ch.Beta = append(ch.Beta, rnd(uint64(i+1)))
	}
	msg := lookup.Message{Bus: bus, Tuple: []field.Elem{field.New(11), field.New(12), field.New(13)}, Mult: field.New(5)}
	tupleExt := make([]field.Ext, n)
	for i, x := range msg.Tuple {
		tupleExt[i] = field.NewExt(x)
	}
	stream := func(alpha field.Ext) []field.Ext {
		in := append([]field.Ext{alpha}, ch.Beta...)
		in = append(in, field.NewExt(msg.Mult))
		for _, x := range msg.Tuple {
			in = append(in, field.NewExt(x))
		}
		return in
	}
	// α at the pole: Fingerprint with α = 0 is −(the affine part).
	pole := lookup.Fingerprint(ch, bus, tupleExt)
	pole.Neg(&pole)
	ch.Alpha = pole
	if _, err := lookup.PublicSum(ch, []lookup.Message{msg}); err == nil {
		t.Fatal("lookup.PublicSum accepts a zero fingerprint")
	}
	if _, err := prog.Execute(stream(pole)); err == nil {
		t.Fatal("the program divides by a zero fingerprint")
	}
	ch.Alpha = rnd(99)
	want, err := lookup.PublicSum(ch, []lookup.Message{msg})
	if err != nil {
		t.Fatal(err)
	}
	want.Neg(&want) // a received message is subtracted
	mem, err := prog.Execute(stream(ch.Alpha))
	if err != nil {
		t.Fatal(err)
	}
	if got := mem[prog.Publics[0]]; !got.Equal(&want) {
		t.Fatalf("mult/fingerprint = %v, lookup's %v", got, want)
	}
}

// The emitted program is a function of the shape: emitting it twice gives the same
// instructions, cells, publics and labels (prover and verifier of the recursion proof
// set it up separately; a map-ordered emission would give them different keys).
func TestReviewProgramDeterministic(t *testing.T) {
	s := fullSystem(t)
	sh, err := ShapeOf(s.vk, s.e.Params(), s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Program(sh)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		b, err := Program(sh)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatal("two emissions of one shape differ")
		}
	}
}
