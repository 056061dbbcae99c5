//go:build cuda

package icicle

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fp"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ingonyama-zk/icicle/v3/wrappers/golang/core"
	icbn254 "github.com/ingonyama-zk/icicle/v3/wrappers/golang/curves/bn254"
	icmsm "github.com/ingonyama-zk/icicle/v3/wrappers/golang/curves/bn254/msm"
)

// MSM implements kernel.Kernels: Σ scalars[i]·points[i] on BN254 G1, on the ICICLE device.
//
// gnark-crypto keeps coordinates and scalars in Montgomery form, ICICLE takes canonical
// ones. ICICLE's MSM has flags for Montgomery inputs, but in v3.9.2 its CPU device ignores
// the one for bases, so the inputs are converted here (in parallel, a small fraction of the
// MSM) and the flags left false. The point at infinity is (0, 0) in both libraries. ICICLE
// returns the sum in homogeneous projective coordinates (x = X/Z, y = Y/Z).
func (k *Kernels) MSM(points []bn254.G1Affine, scalars []fr.Element) (bn254.G1Jac, error) {
	var r bn254.G1Jac
	if len(points) != len(scalars) {
		return r, fmt.Errorf("icicle: MSM of %d points and %d scalars", len(points), len(scalars))
	}
	if len(points) == 0 {
		return r, nil
	}
	bases := make(core.HostSlice[icbn254.Affine], len(points))
	sc := make(core.HostSlice[icbn254.ScalarField], len(scalars))
	k.parallel(len(points), func(lo, hi int) {
		var l [8]uint32
		for i := lo; i < hi; i++ {
			p := &points[i]
			bases[i].X.FromLimbs(limbs(&l, p.X.Bits()))
			bases[i].Y.FromLimbs(limbs(&l, p.Y.Bits()))
			sc[i].FromLimbs(limbs(&l, scalars[i].Bits()))
		}
	})
	res := make(core.HostSlice[icbn254.Projective], 1)
	err := k.dev.run(func() error {
		cfg := icmsm.GetDefaultMSMConfig()
		return check("MSM", icmsm.Msm(sc, bases, &cfg, res))
	})
	if err != nil {
		return r, err
	}
	return fromProjective(&res[0])
}

// limbs writes a canonical 256-bit value as ICICLE's eight little-endian 32-bit limbs.
func limbs(dst *[8]uint32, v [4]uint64) []uint32 {
	for i, w := range v {
		dst[2*i], dst[2*i+1] = uint32(w), uint32(w>>32)
	}
	return dst[:]
}

// fromProjective converts ICICLE's projective result to gnark-crypto's Jacobian form.
func fromProjective(p *icbn254.Projective) (bn254.G1Jac, error) {
	var r bn254.G1Jac
	x, err1 := baseElement(p.X.GetLimbs())
	y, err2 := baseElement(p.Y.GetLimbs())
	z, err3 := baseElement(p.Z.GetLimbs())
	for _, err := range []error{err1, err2, err3} {
		if err != nil {
			return r, fmt.Errorf("icicle: MSM result: %w", err)
		}
	}
	var a bn254.G1Affine // (0, 0), the point at infinity, when Z = 0
	if !z.IsZero() {
		var zInv fp.Element
		zInv.Inverse(&z)
		a.X.Mul(&x, &zInv)
		a.Y.Mul(&y, &zInv)
		if !a.IsOnCurve() {
			return r, fmt.Errorf("icicle: MSM result is not on the curve")
		}
	}
	r.FromAffine(&a)
	return r, nil
}

// baseElement reads a canonical base-field element from ICICLE's limbs.
func baseElement(l []uint32) (fp.Element, error) {
	var b [fp.Bytes]byte
	for i, w := range l {
		b[4*i], b[4*i+1], b[4*i+2], b[4*i+3] = byte(w), byte(w>>8), byte(w>>16), byte(w>>24)
	}
	return fp.LittleEndian.Element(&b)
}

// parallel splits [0, n) into ranges run on the host kernels' goroutines.
func (k *Kernels) parallel(n int, f func(lo, hi int)) {
	parts := max(1, min(k.host.Workers(), runtime.NumCPU(), n/1024))
	per := (n + parts - 1) / parts
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += per {
		wg.Add(1)
		go func(lo, hi int) { defer wg.Done(); f(lo, hi) }(lo, min(lo+per, n))
	}
	wg.Wait()
}
