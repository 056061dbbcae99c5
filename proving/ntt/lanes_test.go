package ntt

import (
	"fmt"
	"testing"

	"github.com/consensys/gnark-crypto/utils"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// The AVX2 kernels (ntt_avx2.go) against gnark-crypto's FFT (the …Gnark functions), word
// for word, at every size from 2^0 to 2^20 on random columns: CosetLDE with the engine's
// coset shifts and blowups 1 to 16, Interpolate, Evaluate, with one goroutine and with
// several. The exported functions are compared too (they take whichever path this
// machine selects).

func equalWords(t *testing.T, what string, got, want []field.Elem) {
	t.Helper()
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s: element %d of %d: got %d want %d", what, i, len(want), got[i][0], want[i][0])
		}
	}
}

func TestLanes8MatchGnark(t *testing.T) {
	if !kernels8 {
		t.Skip("no AVX2 kernels in this build or on this CPU")
	}
	maxLog := 20
	if testing.Short() {
		maxLog = 16
	}
	for logN := 0; logN <= maxLog; logN++ {
		n := 1 << logN
		col := randCol(n, uint64(1000+logN))
		tasksList := []int{1}
		if logN >= 10 {
			tasksList = append(tasksList, 2, 3)
		}
		for _, tasks := range tasksList {
			name := fmt.Sprintf("logN=%d/tasks=%d", logN, tasks)
			if fits8(n, 0) {
				got, want := append([]field.Elem(nil), col...), append([]field.Elem(nil), col...)
				interpolate8(got, tasks)
				interpolateGnark(want, 1)
				equalWords(t, "Interpolate "+name, got, want)
				got, want = append(got[:0], col...), append(want[:0], col...)
				evaluate8(got, tasks)
				evaluateGnark(want, 1)
				equalWords(t, "Evaluate "+name, got, want)
			}
			for logB := 0; logB <= 4; logB++ {
				if logB != 1 && logN > 14 || !fits8(n, logB) {
					continue
				}
				for _, shift := range []field.Elem{field.New(1), Generator, CosetShift(logN+logB, logN+logB+2), CosetShift(logN+logB, 24)} {
					got, want := make([]field.Elem, n<<logB), make([]field.Elem, n<<logB)
					for i := range got { // the output's previous contents must not matter
						got[i] = field.New(uint64(i) * 7919)
					}
					cosetLDE8(got, col, logB, shift, tasks)
					cosetLDEGnark(want, col, logB, shift, 1)
					equalWords(t, fmt.Sprintf("CosetLDE %s/logBlowup=%d/shift=%d", name, logB, shift[0]), got, want)
				}
			}
		}
	}
}

// The exported transforms agree with gnark-crypto's at every size, whichever path runs.
func TestTransformsMatchGnark(t *testing.T) {
	for logN := 0; logN <= 18; logN += 3 {
		n := 1 << logN
		col := randCol(n, uint64(77+logN))
		got, want := append([]field.Elem(nil), col...), append([]field.Elem(nil), col...)
		Interpolate(got, 1)
		interpolateGnark(want, 1)
		equalWords(t, fmt.Sprintf("Interpolate logN=%d", logN), got, want)
		Evaluate(got, 1)
		equalWords(t, fmt.Sprintf("Evaluate∘Interpolate logN=%d", logN), got, col)
		shift := CosetShift(logN+1, logN+3)
		lde, ref := make([]field.Elem, 2*n), make([]field.Elem, 2*n)
		CosetLDE(lde, col, 1, shift, 2)
		cosetLDEGnark(ref, col, 1, shift, 1)
		equalWords(t, fmt.Sprintf("CosetLDE logN=%d", logN), lde, ref)
	}
}

// bitReverse8 is the naive permutation at every size it takes (2^6 to 2^23).
func TestBitReverse8(t *testing.T) {
	if !kernels8 {
		t.Skip("no AVX2 kernels in this build or on this CPU")
	}
	maxLog := 23
	if testing.Short() {
		maxLog = 18
	}
	for logN := 6; logN <= maxLog; logN++ {
		n := 1 << logN
		v := randCol(n, uint64(logN))
		w := append([]field.Elem(nil), v...)
		bitReverse8(v)
		utils.BitReverseNaive(w)
		equalWords(t, fmt.Sprintf("logN=%d", logN), v, w)
	}
}
