package aggregate

import (
	"strings"
	"testing"
)

// TestJoinRefusesMissingChildren: Join and Aggregate return an error, not a panic, for a
// nil child, a child without a proof or one under a key outside the allowlist.
func TestJoinRefusesMissingChildren(t *testing.T) {
	f := testTree(t)
	x := f.leaf(t, 0, 1, 2)
	noProof := &Node{Key: x.Key, Publics: x.Publics}
	badKey := &Node{Key: len(f.tree.keys), Proof: x.Proof, Publics: x.Publics}
	for name, pair := range map[string][2]*Node{
		"nil first":    {nil, x},
		"nil second":   {x, nil},
		"no proof":     {noProof, x},
		"key past end": {x, badKey},
	} {
		if _, err := f.tree.Join(pair[0], pair[1]); err == nil || !strings.Contains(err.Error(), "no proof under a key of the allowlist") {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, nodes := range [][]*Node{{x, nil}, {nil}, {noProof}} {
		if _, err := f.tree.Aggregate(nodes); err == nil {
			t.Errorf("Aggregate took %v", nodes)
		}
	}
}
