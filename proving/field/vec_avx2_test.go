//go:build goexperiment.simd && amd64

package field

import (
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field/ssecheck"
)

// The vector kernels' machine code has no legacy SSE write among dirty vector state,
// and each clears the upper halves before it returns (package ssecheck says why).
func TestKernelsClearUpperHalves(t *testing.T) {
	ssecheck.Check(t, "github.com/oneiros-zk/oneiros/proving/field",
		"mulVec8", "scalarMulVec8", "addVec8", "subVec8", "innerProductVec8", "scalarOpVec8", "batchInvertVec8", "mulAccVec8", "dot4Vec8")
}
