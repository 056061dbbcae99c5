//go:build goexperiment.simd && amd64

package ntt

import (
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field/ssecheck"
)

// The transforms' kernels have no legacy SSE write among dirty vector state, and each
// clears the upper halves before it returns (package ssecheck says why).
func TestKernelsClearUpperHalves(t *testing.T) {
	ssecheck.Check(t, "github.com/oneiros-zk/oneiros/proving/ntt",
		"bitReverse8", "difLayer", "difLayers4", "ditLayer", "ditLayers4", "difLast3", "ditFirst3", "spread.func1", "interpolate8.scale.func1")
}
