package aggregate

import (
	"os"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/profile"

	"github.com/oneiros-zk/oneiros/core/chips/recursion"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/injector/wrap"
)

// TestOuterProfile compiles the wrap circuit of the test tree's outer layer at
// testOuterParams under gnark's constraint profiler and writes the pprof file to
// OUTER_PROFILE (skipped without it): `go tool pprof -top -cum FILE` shows where the
// constraints come from. Then it solves the compiled system on an honest outer proof
// (of TestAggregateFour's root), without the Groth16 setup TestOuterWrap makes.
func TestOuterProfile(t *testing.T) {
	path := os.Getenv("OUTER_PROFILE")
	if testing.Short() || path == "" {
		t.Skip("set OUTER_PROFILE to the pprof file to write")
	}
	f, o := testOuter(t)
	sh, err := o.WrapShape()
	if err != nil {
		t.Fatal(err)
	}
	p := profile.Start(profile.WithPath(path))
	t0 := time.Now()
	ccs, _, err := wrap.Compile(sh)
	p.Stop()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("wrap circuit: %d constraints (%d profiled), compiled in %.1fs", ccs.GetNbConstraints(), p.NbConstraints(), time.Since(t0).Seconds())

	op, err := o.Prove(f.fourRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	a, err := wrap.Assign(sh, op.Proof, make([][]field.Elem, recursion.NumTables), o.messages(op.Publics))
	if err != nil {
		t.Fatal(err)
	}
	w, err := frontend.NewWitness(a, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	t1 := time.Now()
	if _, err := ccs.Solve(w); err != nil {
		t.Fatalf("the honest outer proof does not solve the wrap circuit: %v", err)
	}
	t.Logf("solved on an honest outer proof in %.1fs", time.Since(t1).Seconds())
}
