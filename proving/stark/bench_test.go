package stark_test

import (
	"fmt"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// BenchmarkProve measures a whole proof of one wide table with a handful of degree-3
// constraints (the reference workload at logN=20, width=64), with the default
// parameters, and the commitment phase (LDE + Merkle) alone for comparison; each without
// and with zero knowledge (zk=1: fri.Params.ZK, the masked traces and quotients, salts).
func BenchmarkProve(b *testing.B) {
	for _, tc := range []struct {
		logN, width int
		zk          bool
	}{{14, 64, false}, {14, 64, true}, {16, 64, false}, {16, 64, true}, {18, 64, false}, {18, 64, true}, {20, 64, false}, {20, 64, true}} {
		if testing.Short() && tc.logN > 16 {
			continue
		}
		tb := starktest.Wide(tc.logN, tc.width, 6)
		p := hemera.DefaultParams
		p.FRI.ZK = tc.zk
		zk := 0
		if tc.zk {
			zk = 1
		}
		e, err := hemera.New(p)
		if err != nil {
			b.Fatal(err)
		}
		pk, vk, err := e.Setup([]*air.AIR{tb.AIR}, [][][]field.Elem{nil})
		if err != nil {
			b.Fatal(err)
		}
		w := &stark.Witness{Main: [][][]field.Elem{tb.Main}, Publics: [][]field.Elem{nil}}
		cells := float64(tc.width) * float64(int(1)<<tc.logN)
		b.Run(fmt.Sprintf("phase=commit/logN=%d/width=%d/zk=%d", tc.logN, tc.width, zk), func(b *testing.B) {
			for b.Loop() {
				if _, err := e.Config().Scheme.Commit(w.Main, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(cells*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
		})
		b.Run(fmt.Sprintf("phase=prove/logN=%d/width=%d/zk=%d", tc.logN, tc.width, zk), func(b *testing.B) {
			var proof *stark.Proof
			for b.Loop() {
				if proof, err = e.Prove(pk, w); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(cells*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
			b.ReportMetric(float64(len(proof.Encode())), "proof-bytes")
		})
		b.Run(fmt.Sprintf("phase=verify/logN=%d/width=%d/zk=%d", tc.logN, tc.width, zk), func(b *testing.B) {
			proof, err := e.Prove(pk, w)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if err := e.Verify(vk, proof, w.Publics, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	_ = fri.DefaultParams
}
