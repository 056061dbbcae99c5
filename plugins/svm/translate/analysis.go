package translate

import (
	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
)

// Static analyses that make the translation cheaper. None of them is needed for
// soundness: a wrong region prediction costs a slow path, and the register sets that
// calls save are computed over every path a function can take (programs with callx,
// whose targets are unknown, save everything).

// Region predictions of a register's value: which memory region it points into.
const (
	predUnknown uint8 = 0xff
	predStack   uint8 = 2
	predInput   uint8 = 4
)

// regPred is what the translator knows about the registers before an instruction:
// each register's predicted region, and (bit i of hz) that register i's high word is
// certainly zero. Predictions are hints; hz is a fact, used to drop code, and holds
// on every path (it is not used in programs with callx, which can enter anywhere).
type regPred struct {
	r  [11]uint8
	hz uint16
	// Bit i of rok: register i certainly holds r10 + rel[i] (a pointer into the current
	// stack frame, computed from r10 by moves and constant additions); only kept when
	// r10 is the VM's own (fastStk).
	rok uint16
	rel [11]int32
}

func (p *regPred) merge(q *regPred) bool {
	changed := false
	for i := range p.r {
		if p.r[i] != q.r[i] && p.r[i] != predUnknown {
			p.r[i] = predUnknown
			changed = true
		}
	}
	if hz := p.hz & q.hz; hz != p.hz {
		p.hz, changed = hz, true
	}
	rok := p.rok & q.rok
	for i := range p.rel {
		if rok&(1<<i) != 0 && p.rel[i] != q.rel[i] {
			rok &^= 1 << i
		}
	}
	if rok != p.rok {
		p.rok, changed = rok, true
	}
	return changed
}

// frameOffset reports whether register r certainly holds r10 + off before pc.
func (t *translator) frameOffset(pc int, r uint8) (int32, bool) {
	if t.hasCallx || !t.fastStk || r > 10 || t.pred[pc].rok&(1<<r) == 0 {
		return 0, false
	}
	return t.pred[pc].rel[r], true
}

// zeroHigh reports whether register r's high word is certainly zero before pc.
func (t *translator) zeroHigh(pc int, r uint8) bool {
	return !t.hasCallx && r <= 10 && t.pred[pc].hz&(1<<r) != 0
}

// predictRegions computes, for each instruction, the region each register is predicted
// to point into, by a forward data flow over the blocks: r1 starts in the input, r10 in
// the stack; moves and additions of constants keep a prediction, constants predict their
// own region, anything else forgets it.
func (t *translator) predictRegions() {
	t.pred = make([]regPred, t.n+1)
	in := make([]*regPred, t.n+1) // at block heads
	entry := &regPred{}
	for i := range entry.r {
		entry.r[i] = predUnknown
	}
	entry.r[1], entry.r[10] = predInput, predStack
	if t.opt.Regs == nil {
		entry.hz = 0x3ff &^ (1 << 1) // the VM's registers are 0 but for r1 and r10
	}
	entry.rok = 1 << 10
	work := []int{t.exe.Entry}
	in[t.exe.Entry] = entry
	push := func(pc int, p *regPred) {
		if pc < 0 || pc > t.n {
			return
		}
		if in[pc] == nil {
			q := *p
			in[pc] = &q
			work = append(work, pc)
			return
		}
		if in[pc].merge(p) {
			work = append(work, pc)
		}
	}
	unknownAll := regPred{}
	for i := range unknownAll.r {
		unknownAll.r[i] = predUnknown
	}
	unknownAll.r[10] = predStack
	unknownAll.rok = 1 << 10
	// Function entries start with nothing known but r10.
	for pc := 0; pc < t.n; pc++ {
		if t.ops[pc].Kind == sbpf.KCall && !t.sec[pc] {
			if target, ok := t.internalTarget(pc); ok {
				push(target, &unknownAll)
			}
		}
	}
	for len(work) > 0 {
		start := work[len(work)-1]
		work = work[:len(work)-1]
		cur := *in[start]
		for pc := start; pc < t.n; pc++ {
			if t.sec[pc] {
				continue
			}
			if pc != start && t.head[pc] {
				push(pc, &cur)
				break
			}
			t.pred[pc] = cur
			t.step(pc, &cur)
			ins, o := t.ins[pc], t.ops[pc]
			stop := false
			switch o.Kind {
			case sbpf.KJa:
				push(pc+1+int(ins.Off), &cur)
				stop = true
			case sbpf.KJump:
				push(pc+1+int(ins.Off), &cur)
				push(pc+1, &cur)
				stop = true
			case sbpf.KCall, sbpf.KCallx:
				after := cur
				for r := 0; r <= 5; r++ {
					after.r[r] = predUnknown
				}
				after.hz &^= 0x3f
				after.rok &^= 0x3f
				push(pc+1, &after)
				stop = true
			case sbpf.KExit:
				stop = true
			}
			if stop {
				break
			}
		}
	}
	// Instructions never reached by the flow (callx targets) predict nothing.
	for pc := range t.pred {
		if in[pc] == nil && t.head[pc] {
			for q := pc; q < t.n && (q == pc || !t.head[q]); q++ {
				if t.pred[q].r == (regPred{}).r {
					t.pred[q] = unknownAll
				}
			}
		}
	}
}

// step applies one instruction to the predictions.
func (t *translator) step(pc int, p *regPred) {
	in, o := t.ins[pc], t.ops[pc]
	d := in.Dst
	if d > 10 {
		return
	}
	hzSrc := o.Imm && (in.Imm >= 0 || o.ImmZext) || !o.Imm && in.Src <= 10 && p.hz&(1<<in.Src) != 0
	hzDst := p.hz&(1<<d) != 0
	hz := false // the high word of d after the instruction is zero
	// Frame-relative pointers: moves of r10 or of such a pointer, constant additions.
	rok, rel := false, int32(0)
	srcRel := !o.Imm && in.Src <= 10 && p.rok&(1<<in.Src) != 0
	dstRel := p.rok&(1<<d) != 0
	switch {
	case o.Kind == sbpf.KMov && o.Wide && srcRel:
		rok, rel = true, p.rel[in.Src]
	case o.Kind == sbpf.KAdd && o.Wide && o.Imm && dstRel:
		rok, rel = true, p.rel[d]+in.Imm
	case o.Kind == sbpf.KSub && o.Wide && o.Imm && dstRel:
		rok, rel = true, p.rel[d]-in.Imm
	}
	if rok && (rel < -1<<20 || rel > 1<<20) {
		rok = false
	}
	if writesDst(o) {
		if rok {
			p.rok |= 1 << d
			p.rel[d] = rel
		} else {
			p.rok &^= 1 << d
		}
	}
	switch o.Kind {
	case sbpf.KMov:
		switch {
		case !o.Wide:
			p.r[d] = predUnknown
			hz = !o.Sext32
		case o.Imm:
			p.r[d] = predUnknown
			hz = in.Imm >= 0
		default:
			p.r[d] = p.r[in.Src]
			hz = hzSrc
		}
	case sbpf.KLddw:
		hi := uint64(uint32(t.ins[pc+1].Imm))
		if hi <= 4 {
			p.r[d] = uint8(hi)
		} else {
			p.r[d] = predUnknown
		}
		hz = hi == 0
	case sbpf.KAdd, sbpf.KSub:
		switch {
		case !o.Wide:
			p.r[d] = predUnknown
			hz = !o.Sext32
		case o.Imm:
		case p.r[d] == predUnknown:
			p.r[d] = p.r[in.Src]
		}
	case sbpf.KLoad:
		p.r[d] = predUnknown
		hz = o.Size < 8
	case sbpf.KStore, sbpf.KJa, sbpf.KJump, sbpf.KCall, sbpf.KCallx, sbpf.KExit:
		return
	default:
		p.r[d] = predUnknown
		switch {
		case !o.Wide && (o.Kind == sbpf.KLe || o.Kind == sbpf.KBe):
			switch {
			case in.Imm != 64:
				hz = true
			case o.Kind == sbpf.KLe:
				hz = hzDst
			}
		case !o.Wide:
			hz = !o.Sext32
		case o.Kind == sbpf.KAnd:
			hz = hzDst || hzSrc
		case o.Kind == sbpf.KOr, o.Kind == sbpf.KXor:
			hz = hzDst && hzSrc
		case o.Kind == sbpf.KRsh:
			hz = hzDst || o.Imm && in.Imm&63 >= 32
		case o.Kind == sbpf.KArsh:
			hz = hzDst
		case o.Kind == sbpf.KDiv:
			hz = hzDst
		case o.Kind == sbpf.KMod:
			hz = hzDst || hzSrc
		}
	}
	if hz {
		p.hz |= 1 << d
	} else {
		p.hz &^= 1 << d
	}
}

// saveSets computes, for each function (entry pc), which of r6..r9 a call to it must
// save: those the function or anything it calls may write, widened so that functions
// sharing an exit save the same set. A program with callx saves all four everywhere.
func (t *translator) saveSets() {
	t.saves = map[int]uint8{}
	t.exitSave = make([]uint8, t.n+1)
	all := uint8(0xf)
	for i := range t.exitSave {
		t.exitSave[i] = all
	}
	if t.hasCallx {
		return
	}
	var entries []int
	seen := map[int]bool{}
	addEntry := func(pc int) {
		if !seen[pc] {
			seen[pc] = true
			entries = append(entries, pc)
		}
	}
	addEntry(t.exe.Entry)
	for pc := 0; pc < t.n; pc++ {
		if t.ops[pc].Kind == sbpf.KCall && !t.sec[pc] {
			if target, ok := t.internalTarget(pc); ok {
				addEntry(target)
			}
		}
	}
	// Per function: the instructions it reaches, the registers they write, its callees.
	type fn struct {
		writes  uint8
		callees []int
		exits   []int
	}
	fns := map[int]*fn{}
	for _, e := range entries {
		f := &fn{}
		fns[e] = f
		visited := map[int]bool{}
		stack := []int{e}
		for len(stack) > 0 {
			pc := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for ; pc < t.n && !visited[pc]; pc++ {
				if t.sec[pc] {
					continue
				}
				visited[pc] = true
				in, o := t.ins[pc], t.ops[pc]
				if d := in.Dst; d >= 6 && d <= 9 && writesDst(o) {
					f.writes |= 1 << (d - 6)
				}
				stop := false
				switch o.Kind {
				case sbpf.KJa:
					stack = append(stack, pc+1+int(in.Off))
					stop = true
				case sbpf.KJump:
					stack = append(stack, pc+1+int(in.Off))
				case sbpf.KCall:
					if target, ok := t.internalTarget(pc); ok {
						f.callees = append(f.callees, target)
					}
				case sbpf.KExit:
					f.exits = append(f.exits, pc)
					stop = true
				}
				if stop {
					break
				}
			}
		}
	}
	// Close over callees.
	for changed := true; changed; {
		changed = false
		for _, f := range fns {
			for _, c := range f.callees {
				if w := f.writes | fns[c].writes; w != f.writes {
					f.writes, changed = w, true
				}
			}
		}
	}
	// Functions sharing an exit save the union of their sets.
	parent := map[int]int{}
	var find func(int) int
	find = func(x int) int {
		if p, ok := parent[x]; ok && p != x {
			r := find(p)
			parent[x] = r
			return r
		}
		parent[x] = x
		return x
	}
	owner := map[int]int{}
	for _, e := range entries {
		for _, x := range fns[e].exits {
			if o, ok := owner[x]; ok {
				parent[find(o)] = find(e)
			} else {
				owner[x] = e
			}
		}
	}
	group := map[int]uint8{}
	for _, e := range entries {
		group[find(e)] |= fns[e].writes
	}
	for _, e := range entries {
		t.saves[e] = group[find(e)]
	}
	for x, e := range owner {
		t.exitSave[x] = group[find(e)]
	}
}

// writesDst reports whether an instruction of this kind writes its destination register.
func writesDst(o sbpf.Op) bool {
	switch o.Kind {
	case sbpf.KStore, sbpf.KJa, sbpf.KJump, sbpf.KCall, sbpf.KCallx, sbpf.KExit:
		return false
	}
	return true
}
