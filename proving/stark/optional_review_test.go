package stark_test

import (
	"slices"
	"strings"
	"testing"
)

// TestOptionalPreprocessedHeightPinned: a table with preprocessed columns, required or
// optional, is present only at its preprocessed height. At another height its fixed
// columns would be read off their domain (on a taller one, between the rows: the
// interpolation of a lookup table's values, not its values), so a proof that declares
// another height is rejected before anything is opened (the honest prover refuses to
// make one: the proof here is an honest one with the height edited).
func TestOptionalPreprocessedHeightPinned(t *testing.T) {
	e, pk, vk, w := optionalSystem(t)
	p, err := e.Prove(pk, w)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Verify(vk, p, w.Publics, nil); err != nil {
		t.Fatalf("honest proof: %v", err)
	}
	for _, tb := range []int{0, 3} { // the required range table, the optional squares table
		for _, d := range []int{-1, 1} {
			f := *p
			f.LogN = slices.Clone(p.LogN)
			f.LogN[tb] += d
			if err := e.Verify(vk, &f, w.Publics, nil); err == nil || !strings.Contains(err.Error(), "preprocessed height") {
				t.Errorf("table %d declared at height 2^%d (preprocessed 2^%d): %v", tb, f.LogN[tb], p.LogN[tb], err)
			}
		}
	}
}
