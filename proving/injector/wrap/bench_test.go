package wrap

import (
	"testing"

	"github.com/consensys/gnark/backend/groth16"
)

// BenchmarkWrap measures the wrap of the full test system (every feature, 3 queries):
// compiling the circuit, the (local, development) Groth16 setup, and a wrap (witness,
// solve, Groth16 prove). Run with -benchtime=1x: the setup alone takes minutes.
func BenchmarkWrap(b *testing.B) {
	s := fullSystem(b)
	sh, err := ShapeOf(s.vk, s.e.Params(), s.proof, s.publics, s.bus)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("compile", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := Compile(sh); err != nil {
				b.Fatal(err)
			}
		}
	})
	ccs, id, err := Compile(sh)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(ccs.GetNbConstraints()), "constraints")
	b.Logf("%d constraints", ccs.GetNbConstraints()) // the metric of a benchmark with sub-benchmarks is not printed
	var pk groth16.ProvingKey
	b.Run("setup", func(b *testing.B) {
		for b.Loop() {
			if pk, _, err = groth16.Setup(ccs); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("prove", func(b *testing.B) {
		for b.Loop() {
			if _, err := Prove(ccs, id, pk, sh, s.proof, s.publics, s.bus); err != nil {
				b.Fatal(err)
			}
		}
	})
}
