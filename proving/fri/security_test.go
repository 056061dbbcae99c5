package fri

import (
	"math"
	"testing"
)

// Batching with independent coefficients costs the line error per height, whatever the
// number of functions; the commit phase keeps the powers' factor.
func TestBatchingTermIgnoresFunctionCount(t *testing.T) {
	p := DefaultParams
	for _, r := range []Regime{UniqueDecoding, Johnson} {
		few := p.Rounds(r, []int{20, 12}, []int{3, 1})
		many := p.Rounds(r, []int{20, 12}, []int{3000, 1000})
		if few[0].Name != "FRI batching" || few[0].LogErr != many[0].LogErr {
			t.Errorf("%s: batching error %g with 4 functions, %g with 4000", r, few[0].LogErr, many[0].LogErr)
		}
	}
	// Unique decoding: (2^20 + 1 + 2^12 + 1)/|F|.
	want := math.Log2(math.Exp2(20)+1+math.Exp2(12)+1) - LogExtField(4)
	if got := LogAffineError(UniqueDecoding, 0.5, []int{20, 12}, LogExtField(4)); math.Abs(got-want) > 1e-9 {
		t.Errorf("LogAffineError = %g, want %g", got, want)
	}
	if b := Bits(LogAffineError(UniqueDecoding, 0.5, []int{21}, LogExtField(4))); b != 102 {
		t.Errorf("2^21 points: %d bits, want ⌊123.95 − 21⌋ = 102", b)
	}
}
