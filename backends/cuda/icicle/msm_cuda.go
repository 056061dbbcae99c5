//go:build cuda

package icicle

import (
	"fmt"
	"unsafe"

	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fp"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ingonyama-zk/icicle/v3/wrappers/golang/core"
	icbn254 "github.com/ingonyama-zk/icicle/v3/wrappers/golang/curves/bn254"
	icmsm "github.com/ingonyama-zk/icicle/v3/wrappers/golang/curves/bn254/msm"
	icr "github.com/ingonyama-zk/icicle/v3/wrappers/golang/runtime"
)

// gnark-crypto's points and scalars have ICICLE's layout: a coordinate is four 64-bit
// little-endian limbs in gnark-crypto and eight 32-bit little-endian limbs in ICICLE, the
// same bytes on the little-endian machines ICICLE runs on (amd64, arm64); the point at
// infinity is (0, 0) in both. Both use Montgomery form with R = 2^256 for BN254's fields.
const (
	affineBytes = int(unsafe.Sizeof(bn254.G1Affine{}))
	scalarBytes = int(unsafe.Sizeof(fr.Element{}))
)

var (
	_ [affineBytes]byte = [unsafe.Sizeof(icbn254.Affine{})]byte{}
	_ [scalarBytes]byte = [unsafe.Sizeof(icbn254.ScalarField{})]byte{}
)

// MSM implements kernel.Kernels: Σ scalars[i]·points[i] on BN254 G1, on the ICICLE device.
//
// The points and scalars are copied to the device as they are, in gnark-crypto's
// Montgomery form, and converted there to the canonical form by ICICLE's Montgomery
// conversions: ICICLE's MSM has flags for Montgomery inputs, but in v3.9.2 its CPU device
// ignores the one for bases. ICICLE returns the sum in homogeneous projective coordinates
// (x = X/Z, y = Y/Z), canonical, which are converted back on the host.
func (k *Kernels) MSM(points []bn254.G1Affine, scalars []fr.Element) (bn254.G1Jac, error) {
	var r bn254.G1Jac
	if len(points) != len(scalars) {
		return r, fmt.Errorf("icicle: MSM of %d points and %d scalars", len(points), len(scalars))
	}
	n := len(points)
	if n == 0 {
		return r, nil
	}
	res := make(core.HostSlice[icbn254.Projective], 1)
	err := k.dev.run(func() error {
		bases, err := upload(unsafe.Pointer(&points[0]), affineBytes, n)
		if err != nil {
			return err
		}
		defer bases.Free()
		sc, err := upload(unsafe.Pointer(&scalars[0]), scalarBytes, n)
		if err != nil {
			return err
		}
		defer sc.Free()
		if err := check("converting the points from Montgomery form", icbn254.AffineFromMontgomery(bases)); err != nil {
			return err
		}
		if err := check("converting the scalars from Montgomery form", icbn254.FromMontgomery(sc)); err != nil {
			return err
		}
		cfg := icmsm.GetDefaultMSMConfig()
		return check("MSM", icmsm.Msm(sc, bases, &cfg, res))
	})
	if err != nil {
		return r, err
	}
	return fromProjective(&res[0])
}

// upload copies n elements of size bytes from host memory to a new device buffer; it runs
// on the device's locked thread.
func upload(src unsafe.Pointer, size, n int) (core.DeviceSlice, error) {
	var d core.DeviceSlice
	if _, e := d.Malloc(size, n); e != icr.Success {
		return d, check("allocating device memory", e)
	}
	if _, e := icr.CopyToDevice(d.AsUnsafePointer(), src, uint(size*n)); e != icr.Success {
		d.Free()
		return d, check("copying to the device", e)
	}
	return d, nil
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
