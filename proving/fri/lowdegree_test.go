package fri

import (
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/proving/merkle"
	"github.com/oneiros-zk/oneiros/proving/pcs"
	"github.com/oneiros-zk/oneiros/proving/transcript"
)

// TestFalseCodewordCommittedConsistently is the cheating prover the low-degree test
// exists for: it commits — with a well-formed Merkle tree, every opening consistent with
// it — to evaluations on the LDE domain that are not a codeword of degree below the
// trace height (a "quotient" that is not a polynomial of the claimed degree, as a false
// witness's C/Z_H is), then runs the opening protocol honestly on them. Only FRI can
// notice, and it must. The control: the same protocol on the honest codeword verifies.
func TestFalseCodewordCommittedConsistently(t *testing.T) {
	for _, p := range []Params{
		{LogBlowup: 1, NumQueries: 30, GrindingBits: 2, LogArity: 1, LogFinalPolyLen: 0},
		{LogBlowup: 2, NumQueries: 20, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 2},
	} {
		s, err := New(p, cpu.New(2), 2)
		if err != nil {
			t.Fatal(err)
		}
		const logN, width = 7, 3
		honest, err := s.Commit([]pcs.Matrix{randMatrix(width, logN, 42)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		z := field.ExtFromCoords([]field.Elem{field.New(5), field.New(6), field.New(7), field.New(8)})
		for _, cheat := range []struct {
			name string
			edit func(cols [][]field.Elem)
		}{
			{"honest codeword (control)", nil},
			// Evaluations of no low-degree polynomial: one column replaced by noise.
			{"random evaluations", func(cols [][]field.Elem) {
				copy(cols[1], randMatrix(1, logN+p.LogBlowup, 7)[0])
			}},
			// Close to a codeword: one LDE point moved. Unique decoding still finds
			// the honest polynomial, so the committed word is not low-degree.
			{"one point off", func(cols [][]field.Elem) {
				one := field.New(1)
				cols[2][3].Add(&cols[2][3], &one)
			}},
		} {
			lde, shift := honest.LDE(0)
			cols := make([][]field.Elem, len(lde))
			for c := range lde {
				cols[c] = append([]field.Elem(nil), lde[c]...)
			}
			if cheat.edit != nil {
				cheat.edit(cols)
			}
			tree, err := s.k.MerkleCommit([]merkle.Matrix{{Cols: cols}})
			if err != nil {
				t.Fatal(err)
			}
			forged := &committed{tree: tree, shifts: []field.Elem{shift}}
			pts := [][]field.Ext{{z}}
			vals, proof, err := s.Open([]pcs.OpenRound{{Data: forged, Points: pts}}, transcript.New("test"), nil)
			if err != nil {
				t.Fatalf("%s: the prover failed before the verifier could reject: %v", cheat.name, err)
			}
			vr := []pcs.VerifyRound{{Root: forged.Root(), Dims: []pcs.Dim{{Width: width, LogN: logN}}, Points: pts, Values: vals[0]}}
			err = s.Verify(vr, proof, transcript.New("test"))
			if cheat.edit == nil {
				if err != nil {
					t.Fatalf("%+v: the honest codeword was rejected: %v", p, err)
				}
				continue
			}
			if !errors.Is(err, ErrInvalidProof) {
				t.Fatalf("%+v: %s committed consistently: not rejected (%v)", p, cheat.name, err)
			}
			t.Logf("%s: %v", cheat.name, err)
		}
	}
}
