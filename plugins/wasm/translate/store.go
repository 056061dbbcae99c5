package translate

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
)

// Options configure a translation.
type Options struct {
	// LenientFloat translates functions that use floating-point instructions into
	// stubs that trap with TrapFloat when called, instead of refusing the module.
	// Float values themselves (parameters, globals, constants in initializers) are
	// carried as bit patterns either way.
	LenientFloat bool
	// Spectest provides the "spectest" host module of the WebAssembly spec tests.
	Spectest bool
	// StackBytes is the size of the call stack (default DefaultStackBytes).
	StackBytes uint32
	// Profile adds the profile table to the program's data (see profile.go).
	Profile bool
	// Container makes traps recoverable: a trap writes its outcome and returns to the
	// entry code, which goes on with the next step (see Container).
	Container bool
}

// Memory is a linear memory: a region of normalized memory at Base, holding up to Cap
// pages, described by three words at Desc (bytes, pages, fast limit).
type Memory struct {
	Desc        uint32
	Base        uint32
	Min, Max    uint32 // pages: initial, and the most it may grow to (declared or 65536)
	Cap         uint32 // pages that fit in its region
	declaredMax bool
}

// Table is a table: its current size at Addr, entries (one word each: a function
// descriptor's address, or 0 for null) from Addr+4.
type Table struct {
	Addr     uint32
	Elem     module.ValType
	Min, Max uint32
	HasMax   bool
	Cap      uint32
}

// Global is a global at Addr (one word, two for i64 and f64).
type Global struct {
	Addr uint32
	Type module.GlobalType
	Init uint64 // the initial value's bits
}

// hostKind names the functions the translator provides itself.
type hostKind int

const (
	hostNone      hostKind = iota
	hostNop                // spectest print functions
	hostInputLen           // oneiros.input_len
	hostReadWord           // oneiros.read_word
	hostWriteByte          // oneiros.write_byte
	hostWriteWord          // oneiros.write_word
	hostExit               // oneiros.exit
	hostNoSys              // a WASI function the runtime lacks: returns ENOSYS
)

// Function is a function of the store: defined by a module instance, or provided by
// the host.
type Function struct {
	Type   module.FuncType
	TypeID uint32 // canonical signature id (equal signatures, equal ids)
	Label  isa.Label
	Desc   uint32 // address of its descriptor (entry pc, type id), 0 until referenced
	Name   string // for messages: "module.name" or "$inst.func[i]"

	inst  *Instance
	index int // index in inst.Module.Funcs
	host  hostKind
}

// Instance is an instantiated module: its index spaces resolved to store entities.
type Instance struct {
	Module  *module.Module
	Name    string
	Funcs   []*Function
	Tables  []*Table
	Mems    []*Memory
	Globals []*Global
	Exports map[string]Extern

	datas []segment
	elems []segment
	// linkChecks are conditions on imported memories and tables that depend on their
	// size at instantiation time (they may have grown since the exporter was created).
	linkChecks []linkCheck
	// staticData marks data segments placed in the initial image (own memory, in bounds).
	staticData []bool
	staticElem []bool
	// failure is a static reason why instantiation traps (a segment certainly out of
	// bounds of a memory or table it owns); the entry code reports it as a trap.
	id int
}

// Extern is an export: exactly one of the fields is set.
type Extern struct {
	Func   *Function
	Table  *Table
	Memory *Memory
	Global *Global
}

type segment struct {
	addr uint32 // bytes or entries (words)
	len  uint32 // length in bytes (data) or entries (elements)
	cell uint32 // address of the word holding the current length (0 after a drop)
}

type linkCheck struct {
	mem      *Memory
	table    *Table
	minPages uint32 // the import's declared minimum
}

// Store is a set of linked instances being translated into one normalized program.
type Store struct {
	opts      Options
	b         *isa.Builder
	data      dataArea
	types     map[string]uint32
	instances []*Instance
	registry  map[string]map[string]Extern
	memories  []*Memory
	tables    []*Table
	funcs     []*Function
	hostFuncs map[string]*Function
	runtimes  map[*Memory]*Instance // the WASI runtime module, one instance per memory
	frameMax  int32                 // the largest frame of any function
	tableGrow bool                  // some code may grow a table
	err       error

	spectest   *Instance
	runtimeMem *Memory // the memory the runtime module being instantiated serves
	words      map[uint32]uint32
	memData    []memData
	described  []*Function

	inits        map[*Instance]isa.Label
	routines     map[string]*routine
	routineOrder []string
	traps        map[TrapCode]isa.Label
	profiler     *profiler
}

// NewStore returns an empty store.
func NewStore(opts Options) *Store {
	if opts.StackBytes == 0 {
		opts.StackBytes = DefaultStackBytes
	}
	s := &Store{opts: opts, b: isa.NewBuilder(), types: map[string]uint32{}, registry: map[string]map[string]Extern{},
		hostFuncs: map[string]*Function{}, runtimes: map[*Memory]*Instance{}, words: map[uint32]uint32{},
		inits: map[*Instance]isa.Label{}, routines: map[string]*routine{}, traps: map[TrapCode]isa.Label{}}
	s.b.SourceLabel("runtime:entry and instantiation")
	if opts.Profile {
		s.profiler = newProfiler()
	}
	s.data.next = StackBase + opts.StackBytes
	if opts.Spectest {
		s.spectest = s.newSpectest()
	}
	return s
}

func (s *Store) typeID(t module.FuncType) uint32 {
	k := fmt.Sprint(t.Params, t.Results)
	if id, ok := s.types[k]; ok {
		return id
	}
	id := uint32(len(s.types) + 1)
	s.types[k] = id
	return id
}

func (s *Store) newFunction(t module.FuncType, name string) *Function {
	f := &Function{Type: t, TypeID: s.typeID(t), Label: s.b.NewLabel(name), Name: name}
	s.funcs = append(s.funcs, f)
	return f
}

// descOf returns the address of f's descriptor (entry pc, type id), the value of a
// reference to f; it is allocated the first time f is referenced.
func (s *Store) descOf(f *Function) uint32 {
	if f.Desc == 0 {
		f.Desc = s.data.alloc(8)
		s.described = append(s.described, f)
	}
	return f.Desc
}

func (s *Store) newMemory(l module.Limits) *Memory {
	m := &Memory{Desc: s.data.alloc(12), Min: l.Min, Max: module.MaxPages, declaredMax: l.HasMax}
	if l.HasMax {
		m.Max = l.Max
	}
	s.memories = append(s.memories, m)
	return m
}

func (s *Store) newTable(t module.TableType) (*Table, error) {
	if t.Limits.Min > MaxTableEntries {
		return nil, errorf("a table of %d entries is more than this VM supports (%d)", t.Limits.Min, MaxTableEntries)
	}
	tb := &Table{Elem: t.Elem, Min: t.Limits.Min, Max: t.Limits.Max, HasMax: t.Limits.HasMax}
	c := uint64(t.Limits.Min) + tableGrowth
	if t.Limits.HasMax && uint64(t.Limits.Max) < c {
		c = uint64(t.Limits.Max)
	}
	tb.Cap = uint32(min(c, MaxTableEntries))
	tb.Addr = s.data.alloc(4 + 4*tb.Cap)
	s.setWord(tb.Addr, tb.Min)
	s.tables = append(s.tables, tb)
	return tb, nil
}

func (s *Store) newGlobal(t module.GlobalType, init uint64) *Global {
	g := &Global{Type: t, Init: init, Addr: s.data.alloc(uint32(4 * t.Type.Words()))}
	s.setWord(g.Addr, uint32(init))
	if t.Type.Words() == 2 {
		s.setWord(g.Addr+4, uint32(init>>32))
	}
	return g
}
