package recursion

import (
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
)

// synthetic is a verifier-shaped program: perms sponge rounds, each followed by
// opsPerPerm extension operations folding the squeezed state into an accumulator (a
// mix of mul, add, sub), and a bit decomposition every 8 rounds.
func synthetic(perms, opsPerPerm int) (*ir.Program, []field.Ext) {
	b := ir.NewBuilder()
	var inputs []field.Ext
	var st [hash.Width]ir.Var
	for i := range st {
		st[i] = b.InputBase()
		inputs = append(inputs, field.NewExt(field.New(uint64(i+1))))
	}
	acc := b.Input()
	inputs = append(inputs, ext(1, 2, 3, 4))
	alpha := b.Const(ext(7, 11, 13, 17))
	for r := range perms {
		st = b.Perm(st)
		x := st[r%hash.Width]
		for k := 0; k < opsPerPerm; k++ {
			switch k % 3 {
			case 0:
				acc = b.Mul(acc, alpha)
			case 1:
				acc = b.Add(acc, x)
			default:
				acc = b.Sub(acc, st[(r+k)%hash.Width])
			}
		}
		if r%8 == 0 {
			b.Bits(st[0])
		}
	}
	b.Public(acc)
	b.Public(st[0])
	return b.Program(), inputs
}

func BenchmarkProve(b *testing.B) {
	prog, inputs := synthetic(5000, 20)
	e, err := hemera.New(hemera.DefaultParams)
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	pk, vk, err := Setup(e, prog)
	if err != nil {
		b.Fatal(err)
	}
	rows := pk.Rows()
	b.Logf("setup %.2fs; rows: arith %d, leaf %d, perm %d (and poseidon2), bits %d", time.Since(t0).Seconds(), rows[tArith], rows[tLeaf], rows[tPerm], rows[tBits])
	for t, a := range vk.STARK.AIRs {
		b.Logf("%s: %d main, %d preprocessed, %d LogUp extension columns", a.Name, len(a.Main), len(a.Prep), vk.STARK.Layouts[t].NumAux())
	}
	b.ReportMetric(float64(rows[tArith]), "arith_rows")
	b.ReportMetric(float64(rows[tPerm]), "perm_rows")
	b.ReportMetric(float64(rows[tBits]), "bits_rows")
	b.ResetTimer()
	for range b.N {
		proof, publics, err := Prove(e, pk, inputs)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		t1 := time.Now()
		if err := Verify(e, vk, publics, proof); err != nil {
			b.Fatal(err)
		}
		b.Logf("verify %.3fs, proof %d bytes", time.Since(t1).Seconds(), len(proof.Encode()))
		b.StartTimer()
	}
}
