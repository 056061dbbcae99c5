package aggregate

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/core/chips/recursion"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
)

// figureParams are the parameter sets docs/injector.md compares for recursion layers.
var figureParams = []struct {
	name string
	p    hemera.Params
}{
	{"log_blowup 1, 203 queries, fold by 4", withFRI(1, 203)},
	{"log_blowup 2, 130 queries, fold by 4", withFRI(2, 130)},
	{"log_blowup 3, 28 queries, fold by 4", withFRI(3, 28)},
	{"log_blowup 1, 203 queries, fold by 8", withArity(withFRI(1, 203), 3, 16)},
	{"log_blowup 1, 203 queries, fold by 16", withArity(withFRI(1, 203), 4, 16)},
	{"log_blowup 1, 193 queries, fold by 16, 20 grinding bits (Params)", Params},
}

func withArity(p hemera.Params, logArity, grinding int) hemera.Params {
	p.FRI.LogArity, p.FRI.GrindingBits = logArity, grinding
	return p
}

// withFRI is the default parameters at another blowup and query count, without floors
// (the test reports the security of the tree's shape instead of refusing it).
func withFRI(logBlowup, queries int) hemera.Params {
	p := hemera.DefaultParams
	p.FRI.LogBlowup, p.FRI.NumQueries = logBlowup, queries
	p.MinSecurityBits, p.MinProvableBits = 0, 0
	return p
}

// TestJoinFigures logs, per parameter set, the join program's instructions (by kind
// and by label), the tree's heights and the security of its proofs; with
// AGGREGATE_PROVE=1 also the time to prove a leaf and a join (docs/injector.md's
// figures). Not in -short; by default only Params (about 20 s), which also checks that
// a tree at Params meets their security floors.
func TestJoinFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("builds trees at full parameters")
	}
	prove := os.Getenv("AGGREGATE_PROVE") == "1"
	// AGGREGATE_PARAMS picks parameter sets by name; by default only Params, whose tree
	// NewTree refuses if its proofs fall below Params' floors.
	re := os.Getenv("AGGREGATE_PARAMS")
	if re == "" {
		re = `\(Params\)`
	}
	only := regexp.MustCompile(re)
	for _, fp := range figureParams {
		if !only.MatchString(fp.name) {
			continue
		}
		e, err := hemera.New(fp.p)
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		tr, err := NewTree(e, lay, toyLeaf(1), toyLeaf(0))
		if err != nil {
			t.Fatalf("%s: %v", fp.name, err)
		}
		j := tr.JoinProgram()
		st := j.Stats()
		sec := hemera.Analyze(fp.p.FRI, hemera.ShapeOf(tr.shape.VK, tr.heights[:], recursion.Messages(tr.Key(0).Publics, make([]field.Ext, lay.Len()))))
		t.Logf("%s: NewTree %.1fs; join %d instructions (perm %d, compress %d, add %d, sub %d, mul %d, dot %d, inv %d, bits %d, input %d + input_base4 %d, const %d, assert %d); heights %v; %d conjectured / %d provable bits",
			fp.name, time.Since(t0).Seconds(), len(j.Insts), st[ir.OpPerm], st[ir.OpCompress], st[ir.OpAdd], st[ir.OpSub], st[ir.OpMul], st[ir.OpDot], st[ir.OpInv], st[ir.OpBits],
			st[ir.OpInput]+st[ir.OpInputBase], st[ir.OpInputBase4], st[ir.OpConst], st[ir.OpAssertEq], tr.Heights(), sec.Conjectured, sec.Provable)
		byLabel := map[string]int{}
		for i := range j.Insts {
			l := j.Labels[j.Insts[i].Label]
			if k := strings.Index(l, ":"); k >= 0 && !strings.HasPrefix(l, "join") {
				l = l[:k]
			}
			byLabel[l]++
		}
		t.Logf("%s: instructions by label: %v", fp.name, byLabel)
		if !prove {
			continue
		}
		root := tr.Root()
		t1 := time.Now()
		a, err := tr.ProveLeaf(0, leafInputs(root, []uint64{1, 2}, []uint64{7}))
		if err != nil {
			t.Fatal(err)
		}
		tLeaf := time.Since(t1)
		b, err := tr.ProveLeaf(1, leafInputs(root, []uint64{2, 3}, []uint64{7}))
		if err != nil {
			t.Fatal(err)
		}
		t2 := time.Now()
		n, err := tr.Join(a, b)
		if err != nil {
			t.Fatal(err)
		}
		tJoin := time.Since(t2)
		t3 := time.Now()
		if err := tr.VerifyRoot(n, elems(1, 2), elems(4, 6), elems(7)); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: prove a (padded) leaf %.1fs, a join %.1fs, verify %.3fs", fp.name, tLeaf.Seconds(), tJoin.Seconds(), time.Since(t3).Seconds())
	}
}
