package ntt

import (
	"fmt"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// impl is one implementation of the transforms, for benchmarks side by side.
type impl struct {
	name        string
	lde         func(out, col []field.Elem, logBlowup int, shift field.Elem, tasks int)
	interpolate func(v []field.Elem, tasks int)
	evaluate    func(v []field.Elem, tasks int)
	bitReverse  func(v []field.Elem)
}

// impls lists what the exported functions run here (path=auto), gnark-crypto's FFT and
// permutations (path=gnark), and the AVX2 kernels where this build and CPU have them
// (path=lanes8), whatever the exported functions select.
func impls() []impl {
	list := []impl{
		{"auto", CosetLDE, Interpolate, Evaluate, BitReverse},
		{"gnark", cosetLDEGnark, interpolateGnark, evaluateGnark, bitReverseGnark},
	}
	if kernels8 {
		list = append(list, impl{"lanes8", cosetLDE8, interpolate8, evaluate8, bitReverse8})
	}
	return list
}

// The transforms at the sizes the engine runs (one column, one goroutine, as the CPU
// kernels call them): CosetLDE from 2^logN rows at blowup 2 (output 2^(logN+1)),
// Interpolate and Evaluate of 2^logN elements. cells/s counts input elements.
func BenchmarkTransforms(b *testing.B) {
	for logN := 16; logN <= 22; logN++ {
		n := 1 << logN
		col := randCol(n, uint64(logN))
		shift := CosetShift(logN+1, logN+2)
		for _, im := range impls() {
			b.Run(fmt.Sprintf("op=CosetLDE/path=%s/logN=%d/blowup=2", im.name, logN), func(b *testing.B) {
				out := make([]field.Elem, 2*n)
				im.lde(out, col, 1, shift, 1)
				for b.Loop() {
					im.lde(out, col, 1, shift, 1)
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
			})
			b.Run(fmt.Sprintf("op=Interpolate/path=%s/logN=%d", im.name, logN), func(b *testing.B) {
				v := make([]field.Elem, n)
				for b.Loop() {
					copy(v, col)
					im.interpolate(v, 1)
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
			})
			b.Run(fmt.Sprintf("op=Evaluate/path=%s/logN=%d", im.name, logN), func(b *testing.B) {
				v := make([]field.Elem, n)
				for b.Loop() {
					copy(v, col)
					im.evaluate(v, 1)
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
			})
		}
	}
}

// BitReverse as the transforms above.
func BenchmarkBitReverse(b *testing.B) {
	for logN := 16; logN <= 22; logN += 2 {
		v := randCol(1<<logN, uint64(logN))
		for _, im := range impls() {
			b.Run(fmt.Sprintf("path=%s/logN=%d", im.name, logN), func(b *testing.B) {
				for b.Loop() {
					im.bitReverse(v)
				}
				b.ReportMetric(float64(len(v))*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
			})
		}
	}
}
