package machine

import (
	"fmt"
	"sync"

	"github.com/oneiros-zk/oneiros/core/chips/addsub"
	"github.com/oneiros-zk/oneiros/core/chips/bitwise"
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/chips/cmp"
	"github.com/oneiros-zk/oneiros/core/chips/cpu"
	"github.com/oneiros-zk/oneiros/core/chips/divrem"
	"github.com/oneiros-zk/oneiros/core/chips/frame"
	"github.com/oneiros-zk/oneiros/core/chips/hook"
	chipinput "github.com/oneiros-zk/oneiros/core/chips/input"
	chipio "github.com/oneiros-zk/oneiros/core/chips/io"
	"github.com/oneiros-zk/oneiros/core/chips/keccak"
	"github.com/oneiros-zk/oneiros/core/chips/loadstore"
	"github.com/oneiros-zk/oneiros/core/chips/memory"
	"github.com/oneiros-zk/oneiros/core/chips/memtree"
	"github.com/oneiros-zk/oneiros/core/chips/mul"
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/chips/rom"
	sha256chip "github.com/oneiros-zk/oneiros/core/chips/sha256"
	"github.com/oneiros-zk/oneiros/core/chips/shift"
	"github.com/oneiros-zk/oneiros/core/chips/u256"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// events are the messages the CPU sends to the other chips, split by receiver, and the
// counters of the lookup tables, filled while the traces are built.
type events struct {
	alu       []bus.ALUEvent
	loadStore []bus.LoadStoreEvent
	frame     []bus.FrameEvent
	syscall   []bus.SyscallEvent
	mem       *memory.Table
	rc        *rangetable.Counter
	bc        *bytetable.Counter
	romCounts []uint64
	keccak    []keccak.Perm
	sha256    []sha256chip.Call
	u256      []u256.Call
	inputLen  uint32
	inStart   uint32          // the input and output offsets where the segment starts
	inEnd     uint32          // the input offset where it ends
	final     bool            // the segment ends the run
	inState   chipinput.State // the input sponge's state where it starts
	outStart  uint32
	input     []byte           // the private input (the input table's tape)
	poseidon2 []poseidon2.Call // the permutations the input and hook tables ask for
	hookStart hook.State       // the host answers' sponge state where the segment starts
	// output is the segment's output share (bytes at outStart, outStart+1, …) and
	// outState the output sponge's state where it starts (package output).
	output   []byte
	outState output.State
	// tree is the memory where the segment starts (nil: the program's image); memtree
	// is the memtree chip's witness of the segment's change to it (setMemory), memLeaf
	// its leaf table (built with the node table).
	tree    *memtree.Tree
	memtree *memtree.Witness
	memLeaf [][]field.Elem
	index   int  // the segment's index in the run (error messages)
	forged  bool // tests: the memory table's initial values need not match tree
	// minLogN is the least log height asked of each table (SegmentRun.MinLogN, nil: none)
	// and least the rows it makes of it, by table name, which the trace builders pad
	// to (nil, or no entry: a table's natural height; see padding.go).
	minLogN []int
	least   map[string]int
}

// rows is the least number of rows asked of the table named name (0: none): a table
// absent by nature is built with that many padding rows when it is not 0.
func (ev *events) rows(name string) int { return ev.least[name] }

// chip is one table of the machine: its AIR, its preprocessed columns (from the
// program), and how its trace is built from the run's events.
type chip struct {
	name     string
	optional bool // left out of a proof when it has no rows (see stark.Setup)
	air      *air.AIR
	prep     func(p *isa.Program) [][]field.Elem
	trace    func(ev *events) ([][]field.Elem, error)
}

// aluChip adapts an ALU chip package.
func aluChip(name string, a *air.AIR, handles func(uint32) bool, tr func([]bus.ALUEvent, *events, int) [][]field.Elem) chip {
	return chip{name: name, air: a, optional: true, trace: func(ev *events) ([][]field.Elem, error) {
		var mine []bus.ALUEvent
		for _, e := range ev.alu {
			if handles(e.Op) {
				mine = append(mine, e)
			}
		}
		rows := ev.rows(name)
		if len(mine) == 0 && rows == 0 {
			return nil, nil
		}
		return tr(mine, ev, rows), nil
	}}
}

// aluHandlers lists every ALU chip's Handles, to reject runs with ALU ops no chip proves.
var aluHandlers = []func(uint32) bool{addsub.Handles, cmp.Handles, bitwise.Handles, mul.Handles, divrem.Handles, shift.Handles}

// chips returns the machine's tables in proving order. The order matters for trace
// building: the CPU first (it produces the events), the lookup tables last (they count
// everyone's lookups).
func chips() []chip {
	rangeAIR, _ := rangetable.AIR()
	all := []chip{
		{name: "cpu", air: cpu.AIR()},
		{name: "rom", air: rom.AIR(),
			prep: func(p *isa.Program) [][]field.Elem { return rom.Preprocessed(p.Code) },
			trace: func(ev *events) ([][]field.Elem, error) {
				// At the key's ROM height (padTo: a ROM padded to a catalogue class).
				return rom.Trace(max(len(ev.romCounts), ev.rows("rom")), ev.romCounts), nil
			}},
		aluChip("addsub", addsub.AIR(), addsub.Handles, func(e []bus.ALUEvent, ev *events, rows int) [][]field.Elem { return addsub.TraceRows(e, ev.rc, rows) }),
		aluChip("cmp", cmp.AIR(), cmp.Handles, func(e []bus.ALUEvent, ev *events, rows int) [][]field.Elem { return cmp.TraceRows(e, ev.rc, rows) }),
		aluChip("bitwise", bitwise.AIR(), bitwise.Handles, func(e []bus.ALUEvent, ev *events, rows int) [][]field.Elem { return bitwise.TraceRows(e, ev.bc, rows) }),
		aluChip("mul", mul.AIR(), mul.Handles, func(e []bus.ALUEvent, ev *events, rows int) [][]field.Elem {
			return mul.TraceRows(e, ev.rc, ev.bc, rows)
		}),
		aluChip("divrem", divrem.AIR(), divrem.Handles, func(e []bus.ALUEvent, ev *events, rows int) [][]field.Elem {
			return divrem.TraceRows(e, ev.rc, ev.bc, rows)
		}),
		aluChip("shift", shift.AIR(), shift.Handles, func(e []bus.ALUEvent, ev *events, rows int) [][]field.Elem {
			return shift.TraceRows(e, ev.rc, ev.bc, rows)
		}),
		{name: "keccak_memory", air: keccak.MemoryAIR(), optional: true, trace: func(ev *events) ([][]field.Elem, error) {
			perms, err := keccakPerms(ev)
			if err != nil || len(perms) == 0 && ev.rows("keccak_memory") == 0 {
				return nil, err
			}
			return keccak.MemoryTraceRows(perms, ev.rc, ev.rows("keccak_memory")), nil
		}},
		{name: "keccak", air: keccak.AIR(), optional: true, trace: func(ev *events) ([][]field.Elem, error) {
			perms, err := keccakPerms(ev)
			if err != nil || len(perms) == 0 && ev.rows("keccak") == 0 {
				return nil, err
			}
			return keccak.RoundTraceRows(perms, ev.rows("keccak")), nil
		}},
		{name: "sha256_memory", air: sha256chip.MemoryAIR(), optional: true, trace: func(ev *events) ([][]field.Elem, error) {
			calls, err := sha256Calls(ev)
			if err != nil || len(calls) == 0 && ev.rows("sha256_memory") == 0 {
				return nil, err
			}
			return sha256chip.MemoryTraceRows(calls, ev.rc, ev.rows("sha256_memory")), nil
		}},
		{name: "sha256", air: sha256chip.AIR(), optional: true, trace: func(ev *events) ([][]field.Elem, error) {
			calls, err := sha256Calls(ev)
			if err != nil || len(calls) == 0 && ev.rows("sha256") == 0 {
				return nil, err
			}
			return sha256chip.RoundTraceRows(calls, ev.rows("sha256")), nil
		}},
		u256Chip("u256_memory", u256.MemoryAIR(), func(c []u256.Call, ev *events, rows int) [][]field.Elem { return u256.MemoryTraceRows(c, ev.rc, rows) }),
		u256Chip("u256_arith", u256.ArithAIR(), func(c []u256.Call, ev *events, rows int) [][]field.Elem { return u256.ArithTraceRows(c, ev.rc, rows) }),
		u256Chip("u256_bits", u256.BitsAIR(), func(c []u256.Call, ev *events, rows int) [][]field.Elem { return u256.BitsTraceRows(c, ev.bc, rows) }),
		u256Chip("u256_muldiv", u256.MulDivAIR(), func(c []u256.Call, ev *events, rows int) [][]field.Elem {
			return u256.MulDivTraceRows(c, ev.rc, ev.bc, rows)
		}),
		u256Chip("u256_shift", u256.ShiftAIR(), func(c []u256.Call, ev *events, rows int) [][]field.Elem {
			return u256.ShiftTraceRows(c, ev.rc, ev.bc, rows)
		}),
		{name: "loadstore", air: loadstore.AIR(), optional: true, trace: func(ev *events) ([][]field.Elem, error) {
			if len(ev.loadStore) == 0 && ev.rows("loadstore") == 0 {
				return nil, nil
			}
			return loadstore.TraceRows(ev.loadStore, ev.rc, ev.rows("loadstore")), nil
		}},
		{name: "frame", air: frame.AIR(), optional: true, trace: func(ev *events) ([][]field.Elem, error) {
			if len(ev.frame) == 0 && ev.rows("frame") == 0 {
				return nil, nil
			}
			return frame.TraceRows(ev.frame, ev.rc, ev.rows("frame")), nil
		}},
		{name: "io", air: chipio.AIR(), trace: func(ev *events) ([][]field.Elem, error) {
			var mine []bus.SyscallEvent
			for _, s := range ev.syscall {
				if chipio.Handles(s.Number) {
					mine = append(mine, s)
				}
			}
			// Always present (not optional): its public values must be constrained.
			cols, _ := chipio.TraceRows(mine, ev.inputLen, ev.inStart, ev.outStart, ev.rc, ev.rows("io"))
			return cols, nil
		}},
		{name: "input", air: chipinput.AIR(), trace: func(ev *events) ([][]field.Elem, error) {
			var reads []uint32
			for _, s := range ev.syscall {
				if s.Number == isa.SysRead && s.Rec != nil {
					reads = append(reads, s.Rec.Sys.InputOffset)
				}
			}
			cols, calls, _ := chipinput.TraceRows(ev.input, ev.inState, ev.inStart, ev.inEnd, ev.final, reads, ev.rc, ev.rows("input"))
			ev.poseidon2 = append(ev.poseidon2, calls...)
			return cols, nil
		}},
		{name: "hook", air: hook.AIR(), optional: true, trace: func(ev *events) ([][]field.Elem, error) {
			mine := hookCalls(ev)
			if len(mine) == 0 {
				return nil, nil // left out: the verifier requires it absent exactly then
			}
			cols, calls, _ := hook.TraceRows(mine, ev.hookStart, ev.rc, ev.rows("hook"))
			ev.poseidon2 = append(ev.poseidon2, calls...)
			return cols, nil
		}},
		// The output sponge (package output): always present (an empty share has one
		// row: its public values are the states where the share starts and ends), before
		// the poseidon2 table, which answers its permutations.
		{name: "output", air: output.AIR(), trace: func(ev *events) ([][]field.Elem, error) {
			cols, calls, _ := output.TraceRows(ev.outState, ev.outStart, ev.output, ev.rc, ev.rows("output"))
			ev.poseidon2 = append(ev.poseidon2, calls...)
			return cols, nil
		}},
		// The memory as a Merkle tree (package memtree): always present (the root's row
		// receives the verifier's roots), before the poseidon2 table, which answers its
		// permutations.
		{name: "memtree_node", air: memtree.NodeAIR(), trace: func(ev *events) ([][]field.Elem, error) {
			if ev.memtree == nil {
				return nil, fmt.Errorf("no memory tree witness")
			}
			node, leaf, calls := memtree.TraceRows(ev.memtree, ev.rc, ev.rows("memtree_node"), ev.rows("memtree_leaf"))
			ev.memLeaf = leaf
			ev.poseidon2 = append(ev.poseidon2, calls...)
			return node, nil
		}},
		{name: "memtree_leaf", air: memtree.LeafAIR(), trace: func(ev *events) ([][]field.Elem, error) {
			return ev.memLeaf, nil
		}},
		{name: "poseidon2", air: poseidon2.AIR(), trace: func(ev *events) ([][]field.Elem, error) {
			return poseidon2.TraceRows(ev.poseidon2, ev.rows("poseidon2")), nil
		}},
		{name: "memory", air: memory.AIR(), trace: func(ev *events) ([][]field.Elem, error) {
			return memory.TraceRows(ev.mem.Words(), ev.rc, ev.rows("memory")), nil
		}},
	}
	// The byte operations' tables, one per op (2^16 rows each): each is left out of a
	// proof whose run does not look it up, so an absent table's tuples have no receiver.
	// The byte pairs' range checks (OpRange) are the range table's.
	for _, op := range bytetable.Ops {
		a, _ := bytetable.AIR(op)
		all = append(all, chip{name: bytetable.Name(op), air: a, optional: true,
			prep: func(*isa.Program) [][]field.Elem { return bytetable.Preprocessed(op) },
			trace: func(ev *events) ([][]field.Elem, error) {
				cols := ev.bc.Trace(op)
				if cols == nil && ev.rows(bytetable.Name(op)) > 0 {
					// Asked present (at its fixed height: checked by padTo): no lookup.
					cols = [][]field.Elem{make([]field.Elem, bytetable.Height)}
				}
				return cols, nil
			}})
	}
	// The range table last (always present: the tallest required table with fixed
	// columns, which the byte tables may not exceed: stark.Setup).
	return append(all, chip{name: "range", air: rangeAIR,
		prep:  func(*isa.Program) [][]field.Elem { return rangetable.Preprocessed() },
		trace: func(ev *events) ([][]field.Elem, error) { return ev.rc.Trace(ev.bc), nil }})
}

// standard is the machine's chip list, built once: its AIRs are read-only, and New
// gives each machine its own copy of the list (tests swap a chip's AIR in theirs).
var standard = sync.OnceValue(chips)

// standardID is the ID of the standard chip list, computed once (hashing every AIR).
var standardID = sync.OnceValue(func() hash.Digest { return idOf(standard()) })

func keccakPerms(ev *events) ([]keccak.Perm, error) {
	if ev.keccak == nil {
		var mine []bus.SyscallEvent
		for _, s := range ev.syscall {
			if s.Number == isa.SysKeccakF {
				mine = append(mine, s)
			}
		}
		perms, err := keccak.Perms(mine)
		if err != nil {
			return nil, err
		}
		ev.keccak = perms
	}
	return ev.keccak, nil
}

func sha256Calls(ev *events) ([]sha256chip.Call, error) {
	if ev.sha256 == nil {
		var mine []bus.SyscallEvent
		for _, s := range ev.syscall {
			if s.Number == isa.SysSHA256Compress {
				mine = append(mine, s)
			}
		}
		calls, err := sha256chip.Calls(mine)
		if err != nil {
			return nil, err
		}
		ev.sha256 = calls
	}
	return ev.sha256, nil
}

// u256Chip adapts a table of the 256-bit chip (optional; built from the run's u256 calls).
func u256Chip(name string, a *air.AIR, tr func([]u256.Call, *events, int) [][]field.Elem) chip {
	return chip{name: name, air: a, optional: true, trace: func(ev *events) ([][]field.Elem, error) {
		if ev.u256 == nil {
			var mine []bus.SyscallEvent
			for _, s := range ev.syscall {
				if u256.Handles(s.Number) {
					mine = append(mine, s)
				}
			}
			calls, err := u256.Calls(mine)
			if err != nil {
				return nil, err
			}
			ev.u256 = calls
		}
		rows := ev.rows(name)
		if len(ev.u256) == 0 && rows == 0 {
			return nil, nil
		}
		return tr(ev.u256, ev, rows), nil
	}}
}

// hookCalls are the segment's hook calls, in clk order.
func hookCalls(ev *events) []bus.SyscallEvent {
	var mine []bus.SyscallEvent
	for _, s := range ev.syscall {
		if hook.Handles(s.Number) {
			mine = append(mine, s)
		}
	}
	return mine
}

// checkHooks refuses hook calls that do more than answer through [a]: the hook table
// binds the answer written to [a] and nothing else, so a memory access of a hook's own
// (a Load or Store through exec.Call) or data it attached would enter no proof.
func checkHooks(ev *events) error {
	for _, s := range hookCalls(ev) {
		if s.Rec != nil {
			if err := ProvableHook(s.Rec); err != nil {
				return err
			}
		}
	}
	return nil
}

// ProvableHook refuses a record of a hook call that does more than answer through [a]
// (its own memory accesses, attached data): the hook table binds the answer written to
// [a] and nothing else. Records of anything but a hook call pass. A host calls it on
// the records as they stream, to refuse such a run before proving.
func ProvableHook(r *trace.Record) error {
	if _, ok := hook.EntryOf(r); !ok {
		return nil
	}
	for _, a := range r.Accesses {
		if a.Slot() >= trace.SlotData {
			return fmt.Errorf("machine: hook 0x%x at pc %d (clk %d) accesses memory at 0x%x itself: only a hook that answers through [a] can be proven (no proof would bind its other accesses)", r.Inst.C, r.PC, r.Clk, a.Addr)
		}
	}
	if len(r.Sys.Data) > 0 {
		return fmt.Errorf("machine: hook 0x%x at pc %d (clk %d) attaches %d words of data: only a hook that answers through [a] can be proven (no proof would bind the data)", r.Inst.C, r.PC, r.Clk, len(r.Sys.Data))
	}
	return nil
}

func checkProvable(ev *events) error {
	if err := checkHooks(ev); err != nil {
		return err
	}
	for _, e := range ev.alu {
		ok := false
		for _, h := range aluHandlers {
			ok = ok || h(e.Op)
		}
		if !ok {
			return fmt.Errorf("machine: ALU op 0x%02x has no chip yet: this run cannot be proven", e.Op)
		}
	}
	return nil
}

func cpuTrace(recs []trace.Record, ev *events) [][]field.Elem {
	return cpu.TraceRows(recs, ev.rc, ev.rows("cpu"))
}
