package machine

import (
	"github.com/oneiros-zk/oneiros/core/aggregate"
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// The outer layer's public values after vk_root (OuterFinish): the run's start state
// and the constants as the root states them, then its end as the claim states it —
// the flags and counts of the end state, and the digests the claim holds in place of
// the sponge states (the output's, finished at its length; the hook log's; the input's)
// — so that a verifier computes every one of them from the claim, the program and the
// segments' verifying key: the end's memory root and input carry, which no claim
// fixes, are left out.
const (
	OutStart     = 0                          // StateLen: the start state
	OutConsts    = OutStart + StateLen        // ConstsLen: the constants
	OutEndDone   = OutConsts + ConstsLen      // the end's done flag
	OutEndPC     = OutEndDone + 1             // its pc and fp / 4 (0 at the end of a run)
	OutEndFP     = OutEndDone + 2             //
	OutEndCycles = OutEndDone + 3             // the run's cycles
	OutEndOut    = OutEndDone + 4             // its output length
	OutEndHooks  = OutEndDone + 5             // its hook calls
	OutEndStatus = OutEndDone + 6             // its exit status
	OutEndCodeLo = OutEndDone + 7             // its exit code's limbs
	OutEndCodeHi = OutEndDone + 8             //
	OutOutput    = OutEndDone + 9             // 8: the output digest (output.Finish of the end state)
	OutHooks     = OutOutput + hash.DigestLen // 8: the hook digest
	OutInput     = OutHooks + hash.DigestLen  // 8: the input digest
	OuterLen     = OutInput + hash.DigestLen
)

// endFields are the end state's elements the outer layer states as they are, in order.
var endFields = []int{StDone, StPC, StFP, StCycles, StOut, StHooks, StStatus, StCodeLo, StCodeHi}

// OuterFinish is the zkVM's aggregate.Finish: the outer layer's public values from the
// root's cells, in the order above. The output digest is one permutation of the end's
// output sponge state with the output length added to capacity element 1 (output.Finish);
// the hook and input digests are the rates of their sponge states.
func OuterFinish(b *ir.Builder, root *aggregate.Cells) []ir.Var {
	out := make([]ir.Var, 0, OuterLen)
	out = append(out, root.Start...)
	out = append(out, root.Consts...)
	E := root.End
	for _, i := range endFields {
		out = append(out, E[i])
	}
	var s [hash.Width]ir.Var
	copy(s[:], E[StOutState:StOutState+hash.Width])
	s[output.Rate+1] = b.Add(s[output.Rate+1], E[StOut])
	f := b.Perm(s)
	out = append(out, f[:hash.DigestLen]...)
	out = append(out, E[StHookState:StHookState+hash.DigestLen]...)
	return append(out, E[StInSponge:StInSponge+hash.DigestLen]...)
}

// OuterPublics are the outer layer's public values after vk_root that a run of st,
// proven under vk, has (OuterFinish's, computed from the claim).
func (m *Machine) OuterPublics(vk *stark.VerifyingKey, st *Statement) []field.Elem {
	out := make([]field.Elem, 0, OuterLen)
	out = append(out, LeafState(m.NewLinker(vk, st.Program, st.InputLen, st.InputDigest, st.Context).State(), 0, 0)...)
	out = append(out, LeafConsts(vk, st)...)
	lo, hi := limbs(st.ExitCode)
	out = append(out, field.New(1), field.Elem{}, field.Elem{}, field.New(st.Cycles), field.New(uint64(len(st.Output))),
		field.New(uint64(st.HookCount)), field.New(uint64(st.Status)), lo, hi)
	od := output.Digest(st.Output)
	out = append(out, od[:]...)
	out = append(out, st.HookDigest[:]...)
	return append(out, st.InputDigest[:]...)
}
