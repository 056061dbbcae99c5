package translate

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/svm/loader"
	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
	"github.com/oneiros-zk/oneiros/sdk/wide"
)

// Options configure a translation: the compute budget, the memory regions the run sees,
// the syscalls it may call, and what the exit record holds.
type Options struct {
	Budget   uint64 // compute units; 0 means DefaultBudget
	HeapSize uint32 // bytes of heap (region 3)
	// Regs are the initial registers r0..r11 (r11 is echoed only); nil means the VM's
	// defaults: r1 = the input region, r10 = the top of the first stack frame.
	Regs *[12]uint64
	// InputFromTape: the input region's content is the run's private input (the Solana
	// program input); otherwise it is Input, part of the program image.
	InputFromTape bool
	Input         []byte
	InputWritable bool
	// Boundaries split the input region into consecutive regions ending at these
	// offsets; an access must stay inside one of them.
	Boundaries []uint32
	// Syscalls maps call immediates (the hash of the syscall's name) to implementations.
	Syscalls map[uint32]Syscall
	// DumpRegisters: the exit record carries r0..r11.
	DumpRegisters bool
	// Accounts: on success, the exit record is followed by the accounts of the Solana
	// input, deserialized from the input region.
	Accounts bool
}

// DefaultBudget is the compute budget of a plain ELF run (Solana's per-instruction
// default).
const DefaultBudget = 200_000

// MaxBudget bounds the compute budget so that the remaining-units counter fits a signed
// word with room for one block's cost.
const MaxBudget = 1 << 30

// ErrTranslate is wrapped by every translation error.
var ErrTranslate = errors.New("svm translate")

// Info describes a translated program.
type Info struct {
	Slots        int // sBPF instruction slots
	Instructions int // sBPF instructions (lddw counted once)
	Blocks       int // basic blocks (metering points)
	// Ranges say what each part of the normalized code does, so that a run's cycles can
	// be split between the sBPF instructions themselves and the rest (see Classify).
	Ranges []Range
	// Meters maps the normalized pc of each block's metering instruction to the block's
	// cost: summing them over a run's records counts the sBPF instructions it ran.
	Meters map[uint32]uint32
	// Origin maps normalized pcs of the translated text to the sBPF instruction they
	// come from (-1 for the rest).
	Origin []int32
}

// Part classifies normalized code.
type Part uint8

// The parts of a translated program.
const (
	PartRuntime Part = iota // prologue (input copy), exit and fault routines
	PartSBPF                // the translated instructions: metering, ALU, memory checks, calls
	PartSyscall             // syscall routines and their helpers
)

// Range is a run of normalized instructions [Start, End) of one part.
type Range struct {
	Start, End uint32
	Part       Part
}

// Classify returns the part of the normalized instruction at pc.
func (in *Info) Classify(pc uint32) Part {
	for _, r := range in.Ranges {
		if pc >= r.Start && pc < r.End {
			return r.Part
		}
	}
	return PartRuntime
}

// translator holds the state of one translation.
type translator struct {
	b    *isa.Builder
	exe  *loader.Executable
	opt  Options
	v    sbpf.Version
	ins  []sbpf.Insn
	ops  []sbpf.Op
	n    int
	head []bool // leader of a basic block
	loop []bool // target of a backward jump: its block checks the budget
	sec  []bool // second slot of an lddw
	cost []int  // cost of the block from this instruction to its end
	blk  []isa.Label
	at   []isa.Label

	fault    map[uint32]isa.Label
	deferred []deferred
	consts   map[uint32]int32
	nextCon  int32
	fastStk  bool  // r10-relative accesses in the current frame skip the checks
	guess    uint8 // region guessed by the inline fast path of other accesses
	hasCallx bool
	pc       int                // the sBPF instruction being translated
	img      map[uint32]uint32  // initial words of the runtime area
	pred     []regPred          // predicted regions of the registers, per instruction
	saves    map[int]uint8      // r6..r9 (bits 0..3) a call to a function entry saves
	exitSave []uint8            // r6..r9 an exit restores
	dynLims  map[[2]int32]int32 // (size, offset) → slot of the input region's limit minus the offset
	helpers  map[string]isa.Label
	we       *wide.Emitter // 64-bit operations (sdk/wide), made on first use
	info     Info
}

// Build lowers a verified executable to a normalized program. The caller runs
// sbpf.Verify first; Build assumes a verified text.
func Build(exe *loader.Executable, opt Options) (*isa.Program, *Info, error) {
	if opt.Budget == 0 {
		opt.Budget = DefaultBudget
	}
	if opt.Budget > MaxBudget {
		return nil, nil, fmt.Errorf("%w: budget %d exceeds %d", ErrTranslate, opt.Budget, MaxBudget)
	}
	if len(exe.Ro) > regionWin || uint64(len(opt.Input)) > regionWin || opt.HeapSize > regionWin {
		return nil, nil, fmt.Errorf("%w: a memory region exceeds %d bytes", ErrTranslate, regionWin)
	}
	if exe.Entry < 0 || exe.Entry >= exe.Slots() || len(exe.Text)%sbpf.InsnSize != 0 {
		return nil, nil, fmt.Errorf("%w: entry %d outside the %d instructions", ErrTranslate, exe.Entry, exe.Slots())
	}
	if exe.Slots() >= 1<<24 {
		return nil, nil, fmt.Errorf("%w: %d instructions is too many", ErrTranslate, exe.Slots())
	}
	t := &translator{b: isa.NewBuilder(), exe: exe, opt: opt, v: exe.Version, fault: map[uint32]isa.Label{},
		consts: map[uint32]int32{}, nextCon: constPool, img: map[uint32]uint32{}, helpers: map[string]isa.Label{}}
	t.ins = sbpf.Slots(exe.Text)
	t.n = len(t.ins)
	t.ops = make([]sbpf.Op, t.n)
	for i, in := range t.ins {
		t.ops[i] = sbpf.Decode(in.Op, t.v)
		if t.ops[i].Kind == sbpf.KCallx {
			t.hasCallx = true
		}
	}
	t.analyze()
	t.predictRegions()
	t.saveSets()
	t.layout()
	t.planDynLimits()
	t.emit()
	p, err := t.b.Program()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrTranslate, err)
	}
	return p, &t.info, nil
}

// analyze finds the basic blocks: an instruction starts one when it is the entry, a jump
// or call target, or follows a jump, call or exit. A block's cost is its instruction
// count (lddw counts once), charged when the block is entered.
func (t *translator) analyze() {
	t.head = make([]bool, t.n+1)
	t.loop = make([]bool, t.n+1)
	t.sec = make([]bool, t.n+1)
	t.cost = make([]int, t.n+1)
	for pc := 0; pc < t.n; pc++ {
		if t.ops[pc].Kind == sbpf.KLddw && pc+1 < t.n {
			t.sec[pc+1] = true
			pc++
		}
	}
	t.head[t.exe.Entry] = true
	t.head[t.n] = true
	for pc := 0; pc < t.n; pc++ {
		if t.sec[pc] {
			continue
		}
		in, o := t.ins[pc], t.ops[pc]
		switch o.Kind {
		case sbpf.KJa, sbpf.KJump:
			t.head[pc+1+int(in.Off)] = true
			t.head[pc+1] = true
			if in.Off < 0 {
				t.loop[pc+1+int(in.Off)] = true
			}
		case sbpf.KCallx, sbpf.KExit:
			t.head[pc+1] = true
		case sbpf.KCall:
			t.head[pc+1] = true
			if target, ok := t.internalTarget(pc); ok {
				t.head[target] = true
			}
		}
	}
	// A second lddw slot is never a leader (the verifier forbids jumps to it).
	for pc := 0; pc < t.n; pc++ {
		if t.sec[pc] {
			t.head[pc] = false
		}
	}
	run := 0
	for pc := t.n - 1; pc >= 0; pc-- {
		if t.sec[pc] {
			t.cost[pc] = run
			continue
		}
		next := pc + 1
		if t.ops[pc].Kind == sbpf.KLddw {
			next = pc + 2
		}
		if t.endsBlock(pc) || next > t.n || t.head[next] {
			run = 0
		}
		run++
		t.cost[pc] = run
	}
	for pc := 0; pc < t.n; pc++ {
		if t.head[pc] {
			t.info.Blocks++
		}
		if !t.sec[pc] {
			t.info.Instructions++
		}
	}
	t.info.Slots = t.n
}

func (t *translator) endsBlock(pc int) bool {
	switch t.ops[pc].Kind {
	case sbpf.KJa, sbpf.KJump, sbpf.KCall, sbpf.KCallx, sbpf.KExit:
		return true
	}
	return false
}

// internalTarget resolves a call immediate to an internal function, if it names one.
func (t *translator) internalTarget(pc int) (int, bool) {
	in := t.ins[pc]
	if t.v.StaticSyscalls() {
		if in.Src != 1 {
			return 0, false
		}
		target := pc + 1 + int(in.Imm)
		return target, target >= 0 && target < t.n
	}
	if _, ok := t.opt.Syscalls[uint32(in.Imm)]; ok {
		return 0, false
	}
	target, ok := t.exe.Functions[uint32(in.Imm)]
	return target, ok && target >= 0 && target < t.n
}

// word sets an initial word of the runtime area.
func (t *translator) word(addr int32, v uint32) { t.img[uint32(addr)] = v }

// constant returns a slot holding v, from the constant pool.
func (t *translator) constant(v uint32) (int32, bool) {
	switch v {
	case 0:
		return slotZero, true
	case 0xffffffff:
		return slotOnes, true
	}
	if s, ok := t.consts[v]; ok {
		return s, true
	}
	if t.nextCon >= constPoolEnd {
		return 0, false
	}
	s := t.nextCon
	t.nextCon += 4
	t.consts[v] = s
	t.word(s, v)
	return s, true
}

// layout fills the runtime area's initial words and the memory image of the regions.
func (t *translator) layout() {
	regs := t.defaultRegs()
	if t.opt.Regs != nil {
		regs = *t.opt.Regs
	}
	for i, r := range regs {
		t.word(regLo(uint8(i)), uint32(r))
		t.word(regHi(uint8(i)), uint32(r>>32))
	}
	t.word(slotRem, uint32(t.opt.Budget))
	t.word(slotSSP, shadowBase)
	t.word(slotOnes, 0xffffffff)
	t.word(slotProgID, zeroID)
	for i, w := range sha256Init {
		t.word(int32(sha256IV+4*i), w>>24|w>>8&0xff00|w<<8&0xff0000|w<<24)
	}
	// The fast stack path needs r10 where the VM puts it: the top of frame 0.
	r10 := regs[10]
	t.fastStk = !t.v.ManualStackFrameBump() && r10 == loader.StackStart+stackFrame
	if t.fastStk {
		t.word(slotNFP, regionBase[2]+stackFrame)
	}
	t.guess = 4

	// Region table: start offset, length, normalized base, writable.
	type region struct {
		start, length uint32
		writable      bool
	}
	var regions [6]region
	ro := region{start: uint32(t.exe.RoVaddr), length: uint32(len(t.exe.Ro))}
	if t.v.LowerRodataVaddr() {
		regions[0] = ro
	} else {
		regions[1] = ro
	}
	regions[2] = region{length: stackSize, writable: true}
	regions[3] = region{length: t.opt.HeapSize, writable: true}
	regions[4] = region{length: uint32(len(t.opt.Input)), writable: t.opt.InputWritable}
	for i, r := range regions {
		a := int32(regionTable + 16*i)
		t.word(a, r.start)
		t.word(a+4, r.length)
		t.word(a+8, regionBase[i])
		if r.writable {
			t.word(a+12, 1)
		}
	}
	if !t.opt.InputFromTape {
		n := uint32(len(t.opt.Input))
		t.word(slotInLen, n)
		for i, k := range []uint32{1, 2, 4, 8} {
			if n >= k && len(t.opt.Boundaries) == 0 {
				t.word(slotLim+int32(4*i), n-k+1)
			}
		}
	}
}

// sha256Init is SHA-256's initial hash value.
var sha256Init = [8]uint32{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}

// defaultRegs are the VM's initial registers.
func (t *translator) defaultRegs() [12]uint64 {
	var r [12]uint64
	r[1] = loader.InputStart
	if t.v.ManualStackFrameBump() {
		r[10] = loader.StackStart + stackSize
	} else {
		r[10] = loader.StackStart + stackFrame
	}
	return r
}

// imageSegments returns the program's data segments: the runtime area, the read-only
// region, the input region (when it is part of the image) and the callx table.
func (t *translator) imageSegments() {
	words := map[uint32][]byte{}
	for a, v := range t.img {
		words[a] = binary.LittleEndian.AppendUint32(nil, v)
	}
	for a, w := range words {
		t.b.Data(a, w)
	}
	if len(t.exe.Ro) > 0 {
		base := regionBase[1]
		if t.v.LowerRodataVaddr() {
			base = regionBase[0]
		}
		t.b.Data(base, t.exe.Ro)
	}
	if !t.opt.InputFromTape && len(t.opt.Input) > 0 {
		t.b.Data(regionBase[4], t.opt.Input)
	}
}
