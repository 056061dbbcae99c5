package verifier

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/kernel"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/proving/merkle"
	"github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// layerCheater is the CPU kernel set with a cheating FRI prover inside: it adds the
// constant δ to every value of one committed FRI layer, so that layer is a validly
// committed codeword that is NOT the fold of the previous one (nor, for layer 0, the
// DEEP quotient the input openings give). Everything after that is the engine's own
// honest prover working on the cheated layer: the later layers are folded from it
// (a constant folds to itself: (δ+δ)/2 + β·(δ−δ)/2x = δ), the final polynomial is
// interpolated from the last codeword, and the transcript — the layer roots, β and γ,
// the final polynomial, the (zero-bit) proof of work and the query indices — is the
// one the cheater's own commitments produce. So every Merkle path opens and every
// later check holds; only the check that the opened value of the cheated layer equals
// the value folded from the previous layer (the DEEP value for layer 0) fails, by δ.
//
// The cheated layer is chosen by call counts: commit is the MerkleCommit call to add
// δ to (layer 0's commitment; −1 for none), fold the FoldFRI call whose output gets δ
// (the fold that makes the cheated layer, or for layer 0 the first fold, so that
// layer 1 is the fold of the committed layer 0; −1 for none).
type layerCheater struct {
	kernel.Kernels
	commit, fold int
	delta        field.Elem

	mu              sync.Mutex
	commits, folds  int
	commitsAtFold0  int // MerkleCommit calls made when FoldFRI was first called
	tamperedCommits int
	tamperedFolds   int
}

func (k *layerCheater) MerkleCommit(mats []merkle.Matrix) (*merkle.Tree, error) {
	k.mu.Lock()
	i := k.commits
	k.commits++
	k.mu.Unlock()
	if i == k.commit {
		if len(mats) != 1 || len(mats[0].Cols)%field.ExtDegree4 != 0 {
			return nil, fmt.Errorf("layerCheater: commit %d is not a FRI layer", i)
		}
		// Column d·j + c holds coordinate c of the j-th value of each row
		// (fri's groupMatrix): add δ to coordinate 0 of every value.
		cols := slices.Clone(mats[0].Cols)
		for c := 0; c < len(cols); c += field.ExtDegree4 {
			col := slices.Clone(cols[c])
			for r := range col {
				col[r].Add(&col[r], &k.delta)
			}
			cols[c] = col
		}
		mats = []merkle.Matrix{{Cols: cols, Salt: mats[0].Salt}}
		k.tamperedCommits++
	}
	return k.Kernels.MerkleCommit(mats)
}

func (k *layerCheater) FoldFRI(dst, codeword field.ExtVec, beta field.Ext, invX []field.Elem) error {
	k.mu.Lock()
	i := k.folds
	k.folds++
	if i == 0 {
		k.commitsAtFold0 = k.commits
	}
	k.mu.Unlock()
	if err := k.Kernels.FoldFRI(dst, codeword, beta, invX); err != nil {
		return err
	}
	if i == k.fold {
		for r := range dst.C[0] {
			dst.C[0][r].Add(&dst.C[0][r], &k.delta)
		}
		k.tamperedFolds++
	}
	return nil
}

// TestLayerConsistencyCheckReached: a cheating FRI prover (layerCheater) commits, at
// layer c, a codeword that is not the fold of layer c−1 (for c = 0: not the DEEP
// quotient of the opened inputs) but δ more, and then proves honestly from it with its
// own Fiat–Shamir transcript. Every Merkle opening, the final polynomial and the proof
// of work check out; the native verifier rejects at its fold check ("layer c does not
// hold the folded value of the previous layer"), and the program fails at the
// assert_eq of its layer-consistency check (labelled "fri: query 0: layer c: fold")
// and at nothing else: the program with that one instruction removed executes (accepts
// the forgery). A tampered value otherwise fails a Merkle opening first, so without
// this test the layer-consistency check could be deleted from the program with every
// test passing.
func TestLayerConsistencyCheckReached(t *testing.T) {
	for _, logArity := range []int{1, 2} {
		p := hemera.Params{FRI: fri.Params{LogBlowup: 1, NumQueries: 2, LogArity: logArity, LogFinalPolyLen: 1}, Workers: 2}
		airs, prep, w := starktest.Collect([]starktest.Table{starktest.Fib(5)}, nil)

		// An honest run through the wrapper (it tampers nothing) counts the commitments
		// made before folding starts: the last of them is layer 0's.
		honest := &layerCheater{Kernels: cpu.New(2), commit: -1, fold: -1}
		e, err := hemera.New(p, hemera.WithKernels(honest))
		if err != nil {
			t.Fatal(err)
		}
		pk, vk, err := e.Setup(airs, prep)
		if err != nil {
			t.Fatal(err)
		}
		honest.mu.Lock()
		honest.commits, honest.folds = 0, 0
		honest.mu.Unlock()
		proof, err := e.Prove(pk, w)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Verify(vk, proof, w.Publics, nil); err != nil {
			t.Fatalf("arity 2^%d: honest proof: %v", logArity, err)
		}
		layer0 := honest.commitsAtFold0 - 1

		sh, err := ShapeOf(vk, p, proof, w.Publics, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(sh.Arities) < 2 {
			t.Fatalf("arity 2^%d: %d FRI layers: the test wants a fold between two committed layers", logArity, len(sh.Arities))
		}
		prog, err := Program(sh)
		if err != nil {
			t.Fatal(err)
		}
		in, err := Inputs(sh, proof, w.Publics, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := prog.Execute(in); err != nil {
			t.Fatalf("arity 2^%d: honest proof: %v", logArity, err)
		}

		for c := range sh.Arities {
			what := fmt.Sprintf("arity 2^%d, layer %d of %d", logArity, c, len(sh.Arities))
			ch := &layerCheater{Kernels: cpu.New(2), commit: -1, delta: field.New(1)}
			if c == 0 {
				ch.commit, ch.fold = layer0, 0
			} else { // the last fold of layer c−1 makes layer c
				ch.fold = -1
				for _, a := range sh.Arities[:c] {
					ch.fold += a
				}
			}
			ce, err := hemera.New(p, hemera.WithKernels(ch))
			if err != nil {
				t.Fatal(err)
			}
			forged, err := ce.Prove(pk, w)
			if err != nil {
				t.Fatal(err)
			}
			if ch.commitsAtFold0-1 != layer0 || ch.tamperedFolds != 1 || (ch.tamperedCommits == 1) != (c == 0) {
				t.Fatalf("%s: the cheater tampered %d commitments and %d folds (layer 0 is commitment %d, folding began after %d)",
					what, ch.tamperedCommits, ch.tamperedFolds, layer0, ch.commitsAtFold0)
			}
			forged, err = stark.Decode(forged.Encode())
			if err != nil {
				t.Fatal(err)
			}

			// (1) The native verifier rejects at its fold check, of the cheated layer.
			err = e.Verify(vk, forged, w.Publics, nil)
			var fe *fri.Error
			if !errors.As(err, &fe) || fe.Check != "fold" || fe.Query != 0 ||
				!strings.Contains(fe.Msg, fmt.Sprintf("layer %d does not hold the folded value", c)) {
				t.Fatalf("%s: the native verifier: %v, want its fold check at query 0, layer %d", what, err, c)
			}

			// (2) The program fails at its layer-consistency assertion.
			fin, err := Inputs(sh, forged, w.Publics, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = prog.Execute(fin)
			var ee *recursion.ExecError
			label := fmt.Sprintf("fri: query 0: layer %d: fold", c)
			if !errors.As(err, &ee) || ee.Label != label || ee.Op != recursion.OpAssertEq {
				t.Fatalf("%s: the program: %v, want an assert_eq labelled %q", what, err, label)
			}
			// The label is the layer-consistency check's alone, and it has one assert_eq
			// per query.
			checks := consistencyChecks(prog, c)
			if ee.Index != checks[0] {
				t.Fatalf("%s: the program fails at instruction %d, query 0's layer-consistency check is instruction %d", what, ee.Index, checks[0])
			}

			// (3) Nothing else catches the forgery: without those instructions (layer c's
			// consistency check, in every query: δ was added to the whole layer) the
			// program executes.
			cut := *prog
			cut.Insts = nil
			for i, inst := range prog.Insts {
				if !slices.Contains(checks, i) {
					cut.Insts = append(cut.Insts, inst)
				}
			}
			if _, err := cut.Execute(fin); err != nil {
				t.Fatalf("%s: without its layer-consistency assertions the program still fails: %v", what, err)
			}
			t.Logf("%s: native: %v; program: %v; accepted without instructions %v", what, fe, ee, checks)
		}
	}
}

// consistencyChecks are, per query, the index of the layer-consistency assert_eq of FRI
// layer l: the one assert_eq labelled "fri: query q: layer l: fold".
func consistencyChecks(prog *recursion.Program, l int) []int {
	var out []int
	for q := 0; ; q++ {
		label := fmt.Sprintf("fri: query %d: layer %d: fold", q, l)
		n, last := 0, -1
		for i, inst := range prog.Insts {
			if inst.Op == recursion.OpAssertEq && prog.Labels[inst.Label] == label {
				n, last = n+1, i
			}
		}
		if n == 0 {
			return out
		}
		if n != 1 {
			panic(fmt.Sprintf("%q: %d assert_eqs, want the consistency check alone", label, n))
		}
		out = append(out, last)
	}
}
