package interp

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/plugins/svm/compile"
	"github.com/oneiros-zk/oneiros/plugins/svm/container"
	"github.com/oneiros-zk/oneiros/plugins/svm/loader"
	"github.com/oneiros-zk/oneiros/plugins/svm/output"
	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
)

// gen builds random programs that exercise what the translator optimizes: memory
// accesses through r10 and through pointers into every region (in bounds, near the
// bounds and out of them), 32- and 64-bit arithmetic, forward branches, counted loops,
// internal calls that change callee-saved registers, and callx.
type gen struct {
	r     *rand.Rand
	v     sbpf.Version
	code  []sbpf.Insn
	funcs []int // instruction index of each function, patched into calls
	cur   int   // the function being generated (-1: the entry)
	calls []struct {
		at, fn int
		x      bool
	}
}

func (g *gen) emit(in ...sbpf.Insn) { g.code = append(g.code, in...) }

func (g *gen) pick(xs ...int) int { return xs[g.r.IntN(len(xs))] }

// op64/op32 pick a valid ALU opcode of the version.
func (g *gen) aluOp() byte {
	for {
		op := byte(g.r.IntN(256))
		o := sbpf.Decode(op, g.v)
		if (o.Kind == sbpf.KDiv || o.Kind == sbpf.KMod || o.Kind == sbpf.KSdiv || o.Kind == sbpf.KSrem) && !o.Imm && g.r.IntN(8) > 0 {
			continue
		}
		switch o.Kind {
		case sbpf.KAdd, sbpf.KSub, sbpf.KSubRev, sbpf.KMul, sbpf.KDiv, sbpf.KMod, sbpf.KOr, sbpf.KAnd, sbpf.KXor,
			sbpf.KLsh, sbpf.KRsh, sbpf.KArsh, sbpf.KNeg, sbpf.KMov, sbpf.KLe, sbpf.KBe, sbpf.KHor, sbpf.KUhmul,
			sbpf.KShmul, sbpf.KSdiv, sbpf.KSrem:
			return op
		}
	}
}

func (g *gen) imm() int32 {
	switch g.r.IntN(6) {
	case 0:
		return int32(g.r.Uint32())
	case 1:
		return -int32(g.r.IntN(100))
	case 2:
		return int32(g.pick(0, 1, 31, 32, 63, 0x7fffffff, -0x80000000))
	}
	return int32(g.r.IntN(200))
}

func (g *gen) aluInsn() sbpf.Insn {
	op := g.aluOp()
	o := sbpf.Decode(op, g.v)
	in := sbpf.Insn{Op: op, Dst: uint8(g.r.IntN(6)), Src: uint8(g.r.IntN(10)), Imm: g.imm()}
	switch o.Check {
	case sbpf.CheckDivImm:
		if in.Imm == 0 {
			in.Imm = 3
		}
	case sbpf.CheckSh32:
		in.Imm &= 31
	case sbpf.CheckSh64:
		in.Imm &= 63
	case sbpf.CheckEnd:
		in.Imm = int32(g.pick(16, 32, 64))
	}
	return in
}

// memInsn is a load or store through r6 (input), r7 (a stack pointer), r8 (heap), r9
// (read-only data) or r10.
func (g *gen) memInsn() sbpf.Insn {
	sizes := []int{1, 2, 4, 8}
	size := sizes[g.r.IntN(4)]
	base := uint8(g.pick(6, 7, 8, 9, 10, 10, 6, 7))
	var off int
	switch {
	case base == 10 && g.r.IntN(30) > 0:
		off = -size - g.r.IntN(600)
	case base == 6 && g.r.IntN(10) > 0:
		off = g.r.IntN(57 - size)
	case g.r.IntN(60) == 0:
		off = g.r.IntN(9000) - 4500
	case base == 7 || base == 10:
		off = g.r.IntN(300) - 20
	default:
		off = g.r.IntN(300)
	}
	var op byte
	kind := g.r.IntN(3)
	if base == 9 {
		kind = 0
	}
	if g.v.MoveMemoryClasses() {
		op = []byte{0x2c, 0x3c, 0x8c, 0x9c}[log2(size)] // loads
		switch kind {
		case 1:
			op = []byte{0x27, 0x37, 0x87, 0x97}[log2(size)]
		case 2:
			op = []byte{0x2f, 0x3f, 0x8f, 0x9f}[log2(size)]
		}
	} else {
		op = []byte{0x71, 0x69, 0x61, 0x79}[log2(size)]
		switch kind {
		case 1:
			op = []byte{0x72, 0x6a, 0x62, 0x7a}[log2(size)]
		case 2:
			op = []byte{0x73, 0x6b, 0x63, 0x7b}[log2(size)]
		}
	}
	if kind == 0 {
		return sbpf.Insn{Op: op, Dst: uint8(g.r.IntN(6)), Src: base, Off: int16(off)}
	}
	return sbpf.Insn{Op: op, Dst: base, Src: uint8(g.r.IntN(6)), Off: int16(off), Imm: g.imm()}
}

func log2(n int) int { return map[int]int{1: 0, 2: 1, 4: 2, 8: 3}[n] }

// jumpOp picks a conditional jump of the version (64-bit, or 32-bit from v3).
func (g *gen) jumpOp() byte {
	for {
		op := byte(g.r.IntN(256))
		if o := sbpf.Decode(op, g.v); o.Kind == sbpf.KJump {
			return op
		}
	}
}

// lddw loads a 64-bit constant (hor64 in v2).
func (g *gen) lddw(dst uint8, v uint64) {
	if g.v.DisableLDDW() {
		g.emit(sbpf.Insn{Op: 0xb4, Dst: dst, Imm: int32(uint32(v))}, sbpf.Insn{Op: 0xf7, Dst: dst, Imm: int32(uint32(v >> 32))})
		return
	}
	g.emit(sbpf.Insn{Op: 0x18, Dst: dst, Imm: int32(uint32(v))}, sbpf.Insn{Imm: int32(uint32(v >> 32))})
}

func (g *gen) body(n int, depth int) {
	for i := 0; i < n; i++ {
		switch k := g.r.IntN(20); {
		case k < 7:
			g.emit(g.aluInsn())
		case k < 14:
			g.emit(g.memInsn())
		case k < 15:
			g.emit(sbpf.Insn{Op: 0x07, Dst: uint8(g.pick(6, 7, 8)), Imm: int32(g.r.IntN(64) - 16)})
		case k < 17:
			// A forward branch over a few instructions.
			skip := 1 + g.r.IntN(4)
			op := g.jumpOp()
			g.emit(sbpf.Insn{Op: op, Dst: uint8(g.r.IntN(6)), Src: uint8(g.r.IntN(10)), Off: int16(skip), Imm: g.imm()})
			for j := 0; j < skip; j++ {
				g.emit(g.aluInsn())
			}
		case k < 18 && depth < 2:
			// A counted loop on r5.
			g.emit(sbpf.Insn{Op: 0xb7, Dst: 5, Imm: int32(1 + g.r.IntN(5))})
			top := len(g.code)
			for j := 0; j < 1+g.r.IntN(4); j++ {
				in := g.memInsn()
				if in.Dst == 5 {
					in.Dst = 4
				}
				g.emit(in)
			}
			g.emit(sbpf.Insn{Op: 0x17, Dst: 5, Imm: 1})
			if g.v.SwapSubRegImm() {
				g.code[len(g.code)-1] = sbpf.Insn{Op: 0x07, Dst: 5, Imm: -1}
			}
			g.emit(sbpf.Insn{Op: 0x55, Dst: 5, Off: int16(top - len(g.code) - 1)})
		default:
			if g.cur+1 < len(g.funcs) && depth < 2 {
				// Calls go to later functions only (no recursion, so that most runs end).
				fn := g.cur + 1 + g.r.IntN(len(g.funcs)-g.cur-1)
				x := g.r.IntN(4) == 0
				g.calls = append(g.calls, struct {
					at, fn int
					x      bool
				}{len(g.code), fn, x})
				if x {
					g.lddw(0, 0) // patched: the function's address
					reg := sbpf.Insn{Op: 0x8d, Imm: 0}
					switch {
					case g.v.CallxUsesSrc():
						reg = sbpf.Insn{Op: 0x8d, Src: 0}
					case g.v.CallxUsesDst():
						reg = sbpf.Insn{Op: 0x8d, Dst: 0}
					}
					g.emit(reg)
				} else {
					g.emit(sbpf.Insn{Op: 0x85, Src: 1})
				}
			}
		}
	}
}

// program returns a random program and the function registry its calls use.
func (g *gen) program() ([]byte, map[uint32]int) {
	g.emit(sbpf.Insn{Op: 0xbf, Dst: 6, Src: 1})
	g.emit(sbpf.Insn{Op: 0xbf, Dst: 7, Src: 10}, sbpf.Insn{Op: 0x07, Dst: 7, Imm: -1024})
	g.lddw(8, loader.HeapStart)
	if g.v.LowerRodataVaddr() {
		g.lddw(9, loader.RodataStart+8)
	} else {
		g.lddw(9, loader.ProgramStart+8)
	}
	nf := g.r.IntN(4)
	g.funcs = make([]int, nf)
	g.cur = -1
	g.body(10+g.r.IntN(40), 0)
	// Expose memory in the registers, then exit.
	for r := uint8(0); r < 6; r++ {
		base := uint8(g.pick(6, 7, 8, 10))
		off := g.r.IntN(200)
		if base == 10 {
			off = -8 - g.r.IntN(400)
		}
		op := byte(0x79)
		if g.v.MoveMemoryClasses() {
			op = 0x9c
		}
		g.emit(sbpf.Insn{Op: op, Dst: r, Src: base, Off: int16(off)})
	}
	g.emit(sbpf.Insn{Op: 0x95})
	for f := range g.funcs {
		g.funcs[f] = len(g.code)
		g.cur = f
		g.body(3+g.r.IntN(12), 1)
		for r := uint8(6); r <= 9; r++ { // callee-saved registers the caller must get back
			if g.r.IntN(2) == 0 {
				g.emit(sbpf.Insn{Op: 0xb7, Dst: r, Imm: int32(g.r.IntN(1000))})
			}
		}
		g.emit(sbpf.Insn{Op: 0x95})
	}
	funcs := map[uint32]int{}
	for _, c := range g.calls {
		target := g.funcs[c.fn]
		if c.x {
			va := loader.ProgramStart + 8*uint64(target)
			g.code[c.at].Imm, g.code[c.at+1].Imm = int32(uint32(va)), int32(uint32(va>>32))
			if g.v.DisableLDDW() {
				g.code[c.at].Op = 0xb4
				g.code[c.at+1] = sbpf.Insn{Op: 0xf7, Imm: int32(uint32(va >> 32))}
			}
			continue
		}
		if g.v.StaticSyscalls() {
			g.code[c.at].Imm = int32(target - c.at - 1)
		} else {
			key := sbpf.PCHash(uint64(target))
			g.code[c.at].Imm = int32(key)
			funcs[key] = target
		}
	}
	var text []byte
	for _, in := range g.code {
		text = in.Encode(text)
	}
	return text, funcs
}

func TestDifferential(t *testing.T) {
	n := 3000
	if s := os.Getenv("SVM_DIFF_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	if testing.Short() {
		n = 400
	}
	stats := map[string]int{}
	for seed := 0; seed < n; seed++ {
		if msg := differential(t, uint64(seed), stats); msg != "" {
			t.Fatalf("seed %d: %s", seed, msg)
		}
	}
	t.Logf("outcomes: %v", stats)
}

// differential runs one random program both ways and returns "" when they agree.
func differential(t testing.TB, seed uint64, stats map[string]int) string {
	r := rand.New(rand.NewPCG(seed, 7))
	v := []sbpf.Version{sbpf.V0, sbpf.V2, sbpf.V3}[r.IntN(3)]
	g := &gen{r: r, v: v}
	text, funcs := g.program()
	if err := sbpf.Verify(text, v); err != nil {
		return fmt.Sprintf("generated an unverifiable program: %v", err)
	}
	input := make([]byte, 64+r.IntN(600))
	for i := range input {
		input[i] = byte(r.Uint32())
	}
	fromTape := r.IntN(2) == 0
	budget := uint64(500 + r.IntN(3000))
	heap := uint32(512)
	c := &container.Container{Text: text, TextVersion: uint8(v), Budget: budget, Heap: heap, HasHeap: true,
		Syscalls: []container.Syscall{}, DumpRegisters: true}
	for k, pc := range funcs {
		c.Functions = append(c.Functions, container.Function{Key: k, PC: uint32(pc)})
	}
	var tape []byte
	if fromTape {
		tape = input
	} else {
		c.Input, c.InputWritable = input, true
	}
	res, err := compile.FromContainer(c)
	if err != nil {
		return fmt.Sprintf("compile: %v", err)
	}
	exe, _ := loader.FromText(text, v)
	for k, pc := range funcs {
		exe.Functions[k] = pc
	}
	vm := New(exe, budget, append([]byte{}, input...), true, int(heap))
	want := vm.Run()
	run, err := exec.Run(context.Background(), res.Program, exec.Options{Input: tape, Limits: exec.Limits{MaxCycles: 1 << 26}})
	if err != nil {
		return fmt.Sprintf("exec: %v", err)
	}
	out, err := output.Decode(run.Output, true)
	if err != nil {
		return fmt.Sprintf("output: %v (trap %v)", err, run.Trap)
	}
	stats[fmt.Sprint(want)]++
	if want == Access {
		in := sbpf.Slots(text)[vm.PC]
		base := in.Dst
		if sbpf.Decode(in.Op, v).Kind == sbpf.KLoad {
			base = in.Src
		}
		stats[fmt.Sprintf("access r%d", base)]++
	}
	if want != OK {
		if out.Exit.Status == 0 {
			return fmt.Sprintf("the interpreter faults (%d), the translation exits with registers %x", want, out.Exit.Registers)
		}
		return ""
	}
	if out.Exit.Status != 0 {
		return fmt.Sprintf("the interpreter exits (%d units, r %x), the translation faults with %d (%v)",
			vm.Units, vm.Regs, out.Exit.Status, run.Trap)
	}
	for i := 0; i <= 10; i++ {
		if out.Exit.Registers[i] != vm.Regs[i] {
			return fmt.Sprintf("r%d = %#x, want %#x (v%d)", i, out.Exit.Registers[i], vm.Regs[i], v)
		}
	}
	if out.Exit.Units != vm.Units {
		return fmt.Sprintf("%d units, want %d", out.Exit.Units, vm.Units)
	}
	return ""
}

func FuzzDifferential(f *testing.F) {
	for s := uint64(0); s < 8; s++ {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		if msg := differential(t, seed, map[string]int{}); msg != "" {
			t.Fatal(msg)
		}
	})
}
