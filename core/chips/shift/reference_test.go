package shift

import "github.com/oneiros-zk/oneiros/core/chips/chiptest"

// The ALU chips share their reference harness (package chiptest).
var (
	reference  = chiptest.ALUReference
	inputs     = chiptest.ALUInputs
	sends      = chiptest.ALUSends
	mustReject = chiptest.MustRejectUnlessShort
	edges      = chiptest.ALUEdges
)
