package translate

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/evm/container"
	"github.com/oneiros-zk/oneiros/plugins/evm/runtime"
)

// Contract is the code of one contract translated to normalized code, with the map
// from normalized pcs back to EVM instructions that cycle statistics need.
type Contract struct {
	Entry isa.Label // where its code starts
	// Starts[k] is the first normalized pc of the code of EVM instruction Ops[k]; fused
	// instructions share a start (the last of them owns the cycles). A segment's checks
	// count as its first instruction's.
	Starts []uint32
	Ops    []byte
	End    uint32 // the pc after the contract's code
}

// contract emits the code of one contract. Its jump table is at jt (4 bytes per code
// byte): the words of its JUMPDESTs are set here, the others stay 0.
func contract(g *runtime.Gen, code []byte, jt uint32) *Contract {
	b := g.Builder()
	ins := container.Decode(code)
	tr := &Contract{Entry: b.NewLabel("contract")}
	dest := map[int]isa.Label{}
	for _, in := range ins {
		if in.Op == container.JUMPDEST {
			l := b.NewLabel("jumpdest")
			dest[in.PC] = l
			b.LabelWord(jt+4*uint32(in.PC), l)
		}
	}
	em := g.Contract(len(code), jt)
	staticTarget := func(v []byte) isa.Label {
		var d uint64
		for _, x := range v {
			if d > 1<<40 {
				return g.Halt()
			}
			d = d<<8 | uint64(x)
		}
		if l, ok := dest[int(d)]; ok && d < uint64(len(code)) {
			return l
		}
		return g.Halt()
	}
	b.Bind(tr.Entry)
	live := true
	for k := 0; k < len(ins); {
		in := ins[k]
		if in.Op == container.JUMPDEST {
			b.Bind(dest[in.PC])
			live = true
		}
		if !live {
			k++
			continue
		}
		// The segment: up to an op that ends one, or before the next JUMPDEST.
		end := k
		var gas uint32
		rel, need, grow := 0, 0, 0
		for ; end < len(ins); end++ {
			if end > k && ins[end].Op == container.JUMPDEST {
				break
			}
			o := container.Info(ins[end].Op)
			gas += o.Gas
			need = max(need, o.Pops-rel)
			rel += o.Pushes - o.Pops
			grow = max(grow, rel)
			if o.Terminates || o.EndsSegment {
				end++
				break
			}
		}
		segStart := b.PC() // the segment's checks count as its first op's cycles
		b.SourceLabel("(segment checks: stack, static gas)")
		g.Segment(need, grow, gas)
		for first := true; k < end; k, first = k+1, false {
			in := ins[k]
			if first {
				tr.Starts = append(tr.Starts, segStart)
			} else {
				tr.Starts = append(tr.Starts, b.PC())
			}
			tr.Ops = append(tr.Ops, in.Op)
			b.SourceLabel(container.Info(in.Op).Name)
			// PUSH then JUMP or JUMPI: a static jump.
			if in.Op >= container.PUSH1 && in.Op <= container.PUSH32 && k+1 < end &&
				(ins[k+1].Op == container.JUMP || ins[k+1].Op == container.JUMPI) {
				target := staticTarget(in.Imm)
				k++
				tr.Starts = append(tr.Starts, b.PC())
				tr.Ops = append(tr.Ops, ins[k].Op)
				if ins[k].Op == container.JUMP {
					em.Jump(target)
				} else {
					em.JumpI(target)
				}
				continue
			}
			// PUSH then MLOAD, MSTORE or CALLDATALOAD: a constant offset, copied
			// directly when it lies inside memory (or the call data).
			if in.Op >= container.PUSH0 && in.Op <= container.PUSH32 && k+1 < end {
				if v, ok := smallImm(in.Imm); ok && em.ConstOffset(in.PC, in.Imm, v, ins[k+1].Op) {
					k++
					tr.Starts = append(tr.Starts, tr.Starts[len(tr.Starts)-1])
					tr.Ops = append(tr.Ops, ins[k].Op)
					continue
				}
			}
			em.Op(in.PC, in.Op, in.Imm)
		}
		live = !container.Info(ins[end-1].Op).Terminates
	}
	if live { // running off the end is STOP
		tr.Starts = append(tr.Starts, b.PC())
		tr.Ops = append(tr.Ops, container.STOP)
		em.Op(len(code), container.STOP, nil)
	}
	tr.End = b.PC()
	return tr
}

// smallImm returns a PUSH value below 2^24.
func smallImm(imm []byte) (int64, bool) {
	var v int64
	for _, b := range imm {
		v = v<<8 | int64(b)
		if v >= 1<<24 {
			return 0, false
		}
	}
	return v, true
}
