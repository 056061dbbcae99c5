package translate

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
)

// memory lowers a load or a store. Three paths, fastest first:
//
//   - r10 + off inside the current stack frame (v0, v1 and v3 with the VM's r10): the
//     frame is mapped at [nfp - 4096, nfp), so the access needs no check at all;
//   - an access into the region the base register is predicted to point into (see
//     predictRegions; the input region when nothing is known): a check of the
//     address's region and one of its offset, with the offset folded into the access
//     when it is not negative — two or three normalized instructions before the access;
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
	// A pointer known to hold r10 + rel addresses the current frame just as well.
	if rel, ok := t.frameOffset(pc, base); ok {
		if eff := int64(rel) + int64(off); eff >= -stackFrame && eff <= int64(-size) {
			do(slotNFP, int32(eff))
			return
		}
	}
	b := t.b
	bl, bh := regLo(base), regHi(base)
	slow, after := b.NewLabel("slow access"), b.NewLabel("after access")
	r := t.pred[pc].r[base]
	if r > 4 {
		r = t.guess
	}
	if addr, disp, ok := t.fastPath(r, load, size, off, bl, bh, slow); ok {
		do(addr, disp)
	} else {
		b.Jump(slow)
	}
	b.Bind(after)
	t.later(PartSBPF, func() {
		defer t.origin(b.PC(), pc)
		b.Bind(slow)
		c := int32(slotT0)
		switch {
		case off == 0:
			b.Move(slotXALo, S(bl))
			b.Move(slotXAHi, S(bh))
		case off > 0:
			b.ALU(isa.ADD, slotXALo, S(bl), I(uint32(off)))
			b.ALU(isa.SLTU, c, S(slotXALo), I(uint32(off)))
			b.ALU(isa.ADD, slotXAHi, S(bh), S(c))
		default:
			b.ALU(isa.SLTU, c, S(bl), I(uint32(-off)))
			b.ALU(isa.ADD, slotXALo, S(bl), I(uint32(int32(off))))
			b.ALU(isa.SUB, slotXAHi, S(bh), S(c))
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

// fastPath emits the inline checks of an access of size bytes at (bh:bl) + off into
// region r, branching to slow when they fail. It returns the slot and displacement of
// the normalized address, or false when the access can never be fast.
func (t *translator) fastPath(r uint8, load bool, size, off int, bl, bh int32, slow isa.Label) (int32, int32, bool) {
	b := t.b
	start, length, dynamic, writable := t.region(r)
	if !load && !writable {
		return 0, 0, false
	}
	if r == 2 && t.v.StackFrameGaps() {
		return t.gapPath(size, off, bl, bh, slow)
	}
	if r == 4 && len(t.opt.Boundaries) > 0 {
		return 0, 0, false
	}
	if !dynamic && length < uint32(size) {
		return 0, 0, false
	}
	lim := length - uint32(size) + 1 // offsets below lim are valid (static regions)
	dynLim := S(slotLim + int32(4*log2(size)))
	base := int64(regionBase[r])
	d := int64(off) - int64(start)
	tmp := int32(slotT0)
	b.Branch(isa.BNE, bh, I(uint32(r)), slow)
	switch {
	case !dynamic && d >= 0:
		if int64(lim)-d <= 0 {
			return 0, 0, false
		}
		b.Branch(isa.BGEU, bl, I(uint32(int64(lim)-d)), slow)
		return bl, int32(base + d), true
	case !dynamic:
		b.ALU(isa.ADD, tmp, S(bl), I(uint32(d)))
		b.Branch(isa.BGEU, tmp, I(lim), slow)
		return tmp, int32(base), true
	case d == 0:
		b.Branch(isa.BGEU, bl, dynLim, slow)
		return bl, int32(base), true
	case d > 0:
		if slot, ok := t.dynLimit(size, int32(d)); ok {
			b.Branch(isa.BGEU, bl, S(slot), slow)
			return bl, int32(base + d), true
		}
		b.ALU(isa.ADD, tmp, S(bl), I(uint32(d)))
		b.Branch(isa.BLTU, tmp, S(bl), slow)
		b.Branch(isa.BGEU, tmp, dynLim, slow)
		return tmp, int32(base), true
	default:
		b.ALU(isa.ADD, tmp, S(bl), I(uint32(d)))
		b.Branch(isa.BGEU, tmp, dynLim, slow)
		return tmp, int32(base), true
	}
}

// gapPath is the inline path of a v0 stack access through a pointer: outside the gap
// after each frame, frames packed by halving the frame index.
func (t *translator) gapPath(size, off int, bl, bh int32, slow isa.Label) (int32, int32, bool) {
	b := t.b
	v, g := int32(slotT0), int32(slotT1)
	b.Branch(isa.BNE, bh, I(2), slow)
	switch {
	case off == 0:
		b.Move(v, S(bl))
	case off > 0:
		b.ALU(isa.ADD, v, S(bl), I(uint32(off)))
		b.Branch(isa.BLTU, v, S(bl), slow)
	default:
		b.Branch(isa.BLTU, bl, I(uint32(-off)), slow)
		b.ALU(isa.ADD, v, S(bl), I(uint32(int32(off))))
	}
	b.ALU(isa.AND, g, S(v), I(0x1000))
	b.Branch(isa.BNE, g, I(0), slow)
	b.ALU(isa.SRL, g, S(v), I(13))
	b.ALU(isa.SLL, g, S(g), I(12))
	b.ALU(isa.SUB, v, S(v), S(g))
	b.Branch(isa.BGEU, v, I(uint32(stackSize-size+1)), slow)
	return v, int32(regionBase[2]), true
}

// region describes sBPF region r: the offset of its first mapped byte, its length
// (unknown when dynamic: the input read from the tape), and whether it is writable.
func (t *translator) region(r uint8) (start, length uint32, dynamic, writable bool) {
	switch r {
	case 0, 1:
		if (r == 0) == t.v.LowerRodataVaddr() {
			return uint32(t.exe.RoVaddr), uint32(len(t.exe.Ro)), false, false
		}
		return 0, 0, false, false
	case 2:
		return 0, stackSize, false, true
	case 3:
		return 0, t.opt.HeapSize, false, true
	case 4:
		return 0, uint32(len(t.opt.Input)), t.opt.InputFromTape, t.opt.InputWritable
	}
	return 0, 0, false, false
}

// dynLimit returns a slot the prologue fills with the input region's limit for size
// bytes at offset d > 0: max(0, length - size + 1 - d).
func (t *translator) dynLimit(size int, d int32) (int32, bool) {
	key := [2]int32{int32(size), d}
	if s, ok := t.dynLims[key]; ok {
		return s, true
	}
	return 0, false
}

// planDynLimits picks the (size, offset) pairs of predicted input accesses whose limit
// slots the prologue computes.
func (t *translator) planDynLimits() {
	t.dynLims = map[[2]int32]int32{}
	if !t.opt.InputFromTape {
		return
	}
	next := int32(dynLimSlots)
	for pc := 0; pc < t.n; pc++ {
		o := t.ops[pc]
		if t.sec[pc] || (o.Kind != sbpf.KLoad && o.Kind != sbpf.KStore) {
			continue
		}
		in := t.ins[pc]
		base := in.Dst
		if o.Kind == sbpf.KLoad {
			base = in.Src
		}
		r := t.pred[pc].r[base]
		if r > 4 {
			r = t.guess
		}
		key := [2]int32{int32(o.Size), int32(in.Off)}
		if r != 4 || in.Off <= 0 || next >= dynLimSlotsEnd {
			continue
		}
		if _, ok := t.dynLims[key]; !ok {
			t.dynLims[key] = next
			next += 4
		}
	}
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
		if !t.zeroHigh(pc, d) {
			b.Move(regHi(d), I(0))
		}
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
	part := PartSyscall
	switch name {
	case "xlate", "div64.div_u", "div64.rem_u", "div64.div_s", "div64.rem_s", "uhmul64", "shmul64":
		part = PartSBPF
	case "exit":
		part = PartRuntime
	}
	t.later(part, func() {
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
