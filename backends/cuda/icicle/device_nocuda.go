//go:build !cuda

package icicle

import (
	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// Compiled reports whether this binary was built with the cuda tag (and so with ICICLE).
const Compiled = false

// device is empty without ICICLE.
type device struct{ label string }

// Devices lists the devices a cuda build would offer, each unavailable with ErrNotCompiled.
func Devices() []Device {
	return []Device{
		{Name: "cuda", Kind: "cuda", Reason: ErrNotCompiled.Error()},
		{Name: "cpu", Kind: "cpu", Reason: ErrNotCompiled.Error()},
	}
}

// Open returns ErrNotCompiled: there is no ICICLE in this binary.
func Open(name string, workers int) (*Kernels, error) { return nil, ErrNotCompiled }

// CosetLDE returns ErrNotCompiled (Open never returns Kernels without the tag).
func (k *Kernels) CosetLDE(cols [][]field.Elem, logBlowup int, shift field.Elem) ([][]field.Elem, error) {
	return nil, ErrNotCompiled
}

// MSM returns ErrNotCompiled (Open never returns Kernels without the tag).
func (k *Kernels) MSM(points []bn254.G1Affine, scalars []fr.Element) (bn254.G1Jac, error) {
	return bn254.G1Jac{}, ErrNotCompiled
}
