package kerneltest

import (
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/oneiros-zk/oneiros/proving/kernel"
)

func (r *runner) msm() {
	const K = "MSM"
	g := r.gen("msm")
	var one, minusOne fr.Element
	one.SetOne()
	minusOne.Neg(&one)
	sizes := []int{0, 1, 2, 3, 31, 32, 33, 100, r.opts.MaxMSM}
	for _, n := range sizes {
		if n > r.opts.MaxMSM {
			continue
		}
		pts := g.points(n)
		sc := make([]fr.Element, n)
		for i := range sc {
			sc[i] = g.scalar()
		}
		r.msmCase(fmt.Sprintf("%d points, random scalars", n), pts, sc)
	}

	pts := g.points(8)
	special := map[string][]fr.Element{
		"zero scalars":        make([]fr.Element, 8),
		"scalars 1 and -1":    {one, minusOne, one, one, minusOne, minusOne, one, minusOne},
		"one nonzero scalar":  {{}, {}, {}, g.scalar(), {}, {}, {}, {}},
		"largest scalars r-1": slices.Repeat([]fr.Element{minusOne}, 8),
	}
	for _, name := range []string{"zero scalars", "scalars 1 and -1", "one nonzero scalar", "largest scalars r-1"} {
		r.msmCase("8 points, "+name, pts, special[name])
	}
	// P·s + P·(−s) = 0, and a point repeated.
	s := g.scalar()
	var ns fr.Element
	ns.Neg(&s)
	r.msmCase("a cancelling pair", []bn254.G1Affine{pts[0], pts[0]}, []fr.Element{s, ns})
	r.msmCase("one point 5 times", slices.Repeat(pts[:1], 5), []fr.Element{g.scalar(), g.scalar(), g.scalar(), g.scalar(), g.scalar()})
	r.msmCase("one point, scalar 0", pts[:1], make([]fr.Element, 1))
	// The point at infinity, (0, 0) in affine form, among others.
	withInf := slices.Clone(pts)
	withInf[2], withInf[5] = bn254.G1Affine{}, bn254.G1Affine{}
	r.msmCase("8 points, 2 at infinity", withInf, []fr.Element{g.scalar(), g.scalar(), g.scalar(), g.scalar(), g.scalar(), g.scalar(), g.scalar(), g.scalar()})
	r.msmCase("one point at infinity", withInf[2:3], []fr.Element{g.scalar()})

	r.mustReject(K, "3 points, 2 scalars", func(k kernel.Kernels) error {
		_, err := k.MSM(pts[:3], []fr.Element{one, one})
		return err
	})
	r.mustReject(K, "0 points, 1 scalar", func(k kernel.Kernels) error {
		_, err := k.MSM(nil, []fr.Element{one})
		return err
	})
}

func (r *runner) msmCase(cs string, pts []bn254.G1Affine, sc []fr.Element) {
	const K = "MSM"
	pts0, sc0 := slices.Clone(pts), slices.Clone(sc)
	var want, got bn254.G1Jac
	if !r.both(K, cs, func(k kernel.Kernels) (err error) {
		want, err = k.MSM(pts, sc)
		return err
	}, func(k kernel.Kernels) (err error) {
		got, err = k.MSM(pts, sc)
		return err
	}) {
		return
	}
	if !slices.Equal(pts, pts0) || !slices.Equal(sc, sc0) {
		r.fail(K, cs, "modified its input")
	}
	var ga, wa bn254.G1Affine
	ga.FromJacobian(&got)
	wa.FromJacobian(&want)
	if !ga.Equal(&wa) {
		r.fail(K, cs, "got %s, want %s", ga.String(), wa.String())
	}
}
