package ntt

import (
	"fmt"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// The transforms at the sizes the engine runs (one column, one goroutine, as the CPU
// kernels call them): CosetLDE from 2^logN rows at blowup 2 (output 2^(logN+1)),
// Interpolate and Evaluate of 2^logN elements. cells/s counts input elements.
func BenchmarkTransforms(b *testing.B) {
	for logN := 16; logN <= 22; logN++ {
		n := 1 << logN
		col := randCol(n, uint64(logN))
		shift := CosetShift(logN+1, logN+2)
		b.Run(fmt.Sprintf("op=CosetLDE/logN=%d/blowup=2", logN), func(b *testing.B) {
			out := make([]field.Elem, 2*n)
			CosetLDE(out, col, 1, shift, 1)
			for b.Loop() {
				CosetLDE(out, col, 1, shift, 1)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
		})
		b.Run(fmt.Sprintf("op=Interpolate/logN=%d", logN), func(b *testing.B) {
			v := make([]field.Elem, n)
			for b.Loop() {
				copy(v, col)
				Interpolate(v, 1)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
		})
		b.Run(fmt.Sprintf("op=Evaluate/logN=%d", logN), func(b *testing.B) {
			v := make([]field.Elem, n)
			for b.Loop() {
				copy(v, col)
				Evaluate(v, 1)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
		})
	}
}

// BitReverse with the AVX2 block transposes (where this build and CPU have them) and
// with gnark-crypto's permutations as ntt chose them before.
func BenchmarkBitReverse(b *testing.B) {
	for logN := 16; logN <= 22; logN += 2 {
		v := randCol(1<<logN, uint64(logN))
		impls := []struct {
			name string
			f    func([]field.Elem)
		}{{"gnark", bitReverseGnark}}
		if kernels8 {
			impls = append(impls, struct {
				name string
				f    func([]field.Elem)
			}{"lanes8", bitReverse8})
		}
		for _, im := range impls {
			b.Run(fmt.Sprintf("impl=%s/logN=%d", im.name, logN), func(b *testing.B) {
				for b.Loop() {
					im.f(v)
				}
				b.ReportMetric(float64(len(v))*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
			})
		}
	}
}
