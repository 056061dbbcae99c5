package lower

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

type regPred [11]uint8

func (p *regPred) merge(q *regPred) bool {
	changed := false
	for i := range p {
		if p[i] != q[i] && p[i] != predUnknown {
			p[i] = predUnknown
			changed = true
		}
	}
	return changed
}

// predictRegions computes, for each instruction, the region each register is predicted
// to point into, by a forward data flow over the blocks: r1 starts in the input, r10 in
// the stack; moves and additions of constants keep a prediction, constants predict their
// own region, anything else forgets it.
func (t *translator) predictRegions() {
	t.pred = make([]regPred, t.n+1)
	in := make([]*regPred, t.n+1) // at block heads
	entry := &regPred{}
	for i := range entry {
		entry[i] = predUnknown
	}
	entry[1], entry[10] = predInput, predStack
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
	for i := range unknownAll {
		unknownAll[i] = predUnknown
	}
	unknownAll[10] = predStack
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
					after[r] = predUnknown
				}
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
				if t.pred[q] == (regPred{}) {
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
	switch o.Kind {
	case sbpf.KMov:
		switch {
		case !o.Wide:
			p[d] = predUnknown
		case o.Imm:
			p[d] = predUnknown
		default:
			p[d] = p[in.Src]
		}
	case sbpf.KLddw:
		hi := uint64(uint32(t.ins[pc+1].Imm))
		if r := hi; r <= 4 {
			p[d] = uint8(r)
		} else {
			p[d] = predUnknown
		}
	case sbpf.KAdd, sbpf.KSub:
		switch {
		case !o.Wide:
			p[d] = predUnknown
		case o.Imm:
		case p[d] == predUnknown:
			p[d] = p[in.Src]
		}
	case sbpf.KLoad:
		p[d] = predUnknown
	case sbpf.KStore, sbpf.KJa, sbpf.KJump, sbpf.KCall, sbpf.KCallx, sbpf.KExit:
	default:
		p[d] = predUnknown
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
