package lower

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
)

// memory lowers a load or a store. Three paths, fastest first:
//
//   - r10 + off inside the current stack frame (v0, v1 and v3 with the VM's r10): the
//     frame is mapped at [nfp - 4096, nfp), so the access needs no check at all;
//   - an access into the guessed region (the input region): two inline checks of the
//     address's region and offset, then the access with the region's base folded into
//     the immediate;
//   - anything else: the generic translation helper, which walks the region table and
//     faults on a bad address.
func (t *translator) memory(pc int) {
	in, o := t.ins[pc], t.ops[pc]
	load := o.Kind == sbpf.KLoad
	size := int(o.Size)
	base := in.Dst
	if load {
		base = in.Src
	}
	do := func(addr int32, disp int32) { t.transfer(pc, addr, disp) }
	off := int(in.Off)
	if base == 10 && t.fastStk && off >= -stackFrame && off <= -size {
		do(slotNFP, int32(off))
		return
	}
	b := t.b
	// The virtual address, in the base register's slots when off is 0.
	aLo, aHi := regLo(base), regHi(base)
	if off != 0 {
		c := int32(slotT0)
		if off > 0 {
			b.ALU(isa.ADD, slotXALo, S(aLo), I(uint32(off)))
			b.ALU(isa.SLTU, c, S(slotXALo), I(uint32(off)))
			b.ALU(isa.ADD, slotXAHi, S(aHi), S(c))
		} else {
			b.ALU(isa.SLTU, c, S(aLo), I(uint32(-off)))
			b.ALU(isa.ADD, slotXALo, S(aLo), I(uint32(int32(off))))
			b.ALU(isa.SUB, slotXAHi, S(aHi), S(c))
		}
		aLo, aHi = slotXALo, slotXAHi
	}
	slow, after := b.NewLabel("slow access"), b.NewLabel("after access")
	r := t.guess
	if load || t.opt.InputWritable {
		b.Branch(isa.BNE, aHi, I(uint32(r)), slow)
		b.Branch(isa.BGEU, aLo, S(slotLim+int32(4*log2(size))), slow)
		do(aLo, int32(regionBase[r]))
	} else {
		b.Jump(slow)
	}
	b.Bind(after)
	t.later(func() {
		b.Bind(slow)
		if off == 0 {
			b.Move(slotXALo, S(aLo))
			b.Move(slotXAHi, S(aHi))
		}
		w := uint32(1)
		if load {
			w = 0
		}
		t.xlate(I(uint32(size)), w)
		do(slotXNA, 0)
		b.Jump(after)
	})
}

func log2(size int) int {
	switch size {
	case 1:
		return 0
	case 2:
		return 1
	case 4:
		return 2
	}
	return 3
}

// xlate calls the translation helper on [XA] with length n; it returns with the
// normalized address in [XNA] or faults.
func (t *translator) xlate(n isa.Operand, write uint32) {
	b := t.b
	back := b.NewLabel("translated")
	b.Move(slotXN, n)
	b.Move(slotXW, I(write))
	b.Move(slotXRet, isa.LabelImm(back))
	b.Jump(t.helper("xlate", t.emitXlate))
	b.Bind(back)
}

// transfer performs the data movement of a load or store at [addr] + disp.
func (t *translator) transfer(pc int, addr, disp int32) {
	in, o := t.ins[pc], t.ops[pc]
	b := t.b
	if o.Kind == sbpf.KLoad {
		d := in.Dst
		switch o.Size {
		case 8:
			// High word first: addr may be d's low word.
			b.Load(isa.LW, regHi(d), S(addr), disp+4)
			b.Load(isa.LW, regLo(d), S(addr), disp)
			return
		case 4:
			b.Load(isa.LW, regLo(d), S(addr), disp)
		case 2:
			b.Load(isa.LHU, regLo(d), S(addr), disp)
		default:
			b.Load(isa.LBU, regLo(d), S(addr), disp)
		}
		b.Move(regHi(d), I(0))
		return
	}
	var lo, hi int32
	if o.Imm {
		v := uint32(in.Imm)
		h := uint32(0)
		if in.Imm < 0 {
			h = 0xffffffff
		}
		var ok bool
		if lo, ok = t.constant(v); !ok {
			lo = slotT2
			b.Move(lo, I(v))
		}
		hi, _ = t.constant(h)
	} else {
		lo, hi = regLo(in.Src), regHi(in.Src)
	}
	switch o.Size {
	case 8:
		b.Store(isa.SW, lo, S(addr), disp)
		b.Store(isa.SW, hi, S(addr), disp+4)
	case 4:
		b.Store(isa.SW, lo, S(addr), disp)
	case 2:
		b.Store(isa.SH, lo, S(addr), disp)
	default:
		b.Store(isa.SB, lo, S(addr), disp)
	}
}

// helper returns the label of a shared routine, emitting it once after the text.
func (t *translator) helper(name string, body func()) isa.Label {
	if l, ok := t.helpers[name]; ok {
		return l
	}
	l := t.b.NewLabel(name)
	t.helpers[name] = l
	t.later(func() {
		t.b.Bind(l)
		body()
	})
	return l
}

// emitXlate is the generic address translation: [XA] (a 64-bit virtual address), [XN]
// bytes, [XW] = 1 for a write. It checks the region, the gap between v0 stack frames,
// the bounds (of the input sub-region too, when the input is split) and writability,
// then returns to [XRet] with the normalized address in [XNA].
func (t *translator) emitXlate() {
	b := t.b
	av := t.faultLabel(ErrAccessViolation)
	idx, v, lim := int32(slotH0), int32(slotH1), int32(slotH2)
	b.Branch(isa.BGEU, slotXAHi, I(6), av)
	b.ALU(isa.MUL, idx, S(slotXAHi), I(16))
	b.Load(isa.LW, v, S(idx), regionTable)
	b.ALU(isa.SUB, v, S(slotXALo), S(v))
	if t.v.StackFrameGaps() {
		normal := b.NewLabel("not the stack")
		b.Branch(isa.BNE, slotXAHi, I(2), normal)
		// A v0 stack address in the gap after a frame faults; otherwise frames are
		// packed: offset = (off &^ 0xfff) >> 1 | off & 0xfff.
		g := int32(slotH3)
		b.ALU(isa.AND, g, S(slotXALo), I(0x1000))
		b.Branch(isa.BNE, g, I(0), av)
		b.ALU(isa.AND, g, S(slotXALo), I(0xfffff000))
		b.ALU(isa.SRL, g, S(g), I(1))
		b.ALU(isa.AND, v, S(slotXALo), I(0xfff))
		b.ALU(isa.OR, v, S(v), S(g))
		b.Bind(normal)
	}
	b.Load(isa.LW, lim, S(idx), regionTable+4)
	b.Branch(isa.BLTU, lim, S(slotXN), av)
	b.ALU(isa.SUB, lim, S(lim), S(slotXN))
	b.Branch(isa.BLTU, lim, S(v), av)
	if len(t.opt.Boundaries) > 0 {
		done := b.NewLabel("sub-region checked")
		b.Branch(isa.BNE, slotXAHi, I(4), done)
		end := int32(slotH3)
		b.ALU(isa.ADD, end, S(v), S(slotXN))
		for _, bound := range t.opt.Boundaries {
			next := b.NewLabel("next sub-region")
			b.Branch(isa.BGEU, v, I(bound), next)
			b.Branch(isa.BLTU, end, I(bound+1), done)
			b.Jump(av)
			b.Bind(next)
		}
		b.Jump(av)
		b.Bind(done)
	}
	ok := b.NewLabel("writable")
	b.Branch(isa.BEQ, slotXW, I(0), ok)
	b.Load(isa.LW, lim, S(idx), regionTable+12)
	b.Branch(isa.BEQ, lim, I(0), av)
	b.Bind(ok)
	b.Load(isa.LW, lim, S(idx), regionTable+8)
	b.ALU(isa.ADD, slotXNA, S(lim), S(v))
	b.JumpTo(S(slotXRet))
}
