package translate

import (
	"fmt"
	"sort"
	"strings"

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

// flushDescs writes the descriptors of the referenced functions.
func (s *Store) flushDescs() {
	for _, f := range s.described {
		s.b.LabelWord(f.Desc, f.Label)
		s.setWord(f.Desc+4, f.TypeID)
	}
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

// Register makes inst's exports importable under name.
func (s *Store) Register(name string, inst *Instance) { s.registry[name] = inst.Exports }

// resolve finds an import's target.
func (s *Store) resolve(inst *Instance, im module.Import) (Extern, error) {
	if ex, ok := s.registry[im.Module]; ok {
		e, ok := ex[im.Name]
		if !ok {
			return Extern{}, linkErrorf("unknown import %s.%s", im.Module, im.Name)
		}
		return e, nil
	}
	switch im.Module {
	case "spectest":
		if s.spectest != nil {
			e, ok := s.spectest.Exports[im.Name]
			if !ok {
				return Extern{}, linkErrorf("unknown import %s.%s", im.Module, im.Name)
			}
			return e, nil
		}
	case HostModule, WASIModule:
		return s.hostImport(inst, im)
	}
	return Extern{}, linkErrorf("unknown import %s.%s: no module %q is registered (host modules: %s, %s)", im.Module, im.Name, im.Module, HostModule, WASIModule)
}

// Instantiate links a validated module into the store and allocates its entities. The
// instance's code is translated by Program; its initialization (segments, start) runs
// where the entry code instantiates it.
func (s *Store) Instantiate(m *module.Module, name string) (*Instance, error) {
	inst := &Instance{Module: m, Name: name, Exports: map[string]Extern{}, id: len(s.instances)}
	// Imports. The runtime module's functions are bound once the instance's memory exists.
	var pending []pendingImport
	for _, im := range m.Imports {
		if isRuntimeImport(im) {
			pending = append(pending, pendingImport{index: len(inst.Funcs), im: im})
			inst.Funcs = append(inst.Funcs, nil)
			continue
		}
		if im.Module == runtimeMemoryModule && im.Kind == module.KindMemory && s.runtimeMem != nil {
			inst.Mems = append(inst.Mems, s.runtimeMem)
			continue
		}
		e, err := s.resolve(inst, im)
		if err != nil {
			return nil, err
		}
		switch im.Kind {
		case module.KindFunc:
			if e.Func == nil {
				return nil, linkErrorf("incompatible import type: %s.%s is not a function", im.Module, im.Name)
			}
			if want := m.Types[im.Type]; !want.Equal(e.Func.Type) {
				return nil, linkErrorf("incompatible import type: %s.%s has type %v, the module wants %v", im.Module, im.Name, e.Func.Type, want)
			}
			inst.Funcs = append(inst.Funcs, e.Func)
		case module.KindTable:
			t := e.Table
			if t == nil {
				return nil, linkErrorf("incompatible import type: %s.%s is not a table", im.Module, im.Name)
			}
			if t.Elem != im.Table.Elem {
				return nil, linkErrorf("incompatible import type: table %s.%s of %v, the module wants %v", im.Module, im.Name, t.Elem, im.Table.Elem)
			}
			if err := limitsMatch(im, t.Min, t.Cap, t.Max, t.HasMax); err != nil {
				return nil, err
			}
			if t.Min < im.Table.Limits.Min {
				inst.linkChecks = append(inst.linkChecks, linkCheck{table: t, minPages: im.Table.Limits.Min})
			}
			inst.Tables = append(inst.Tables, t)
		case module.KindMemory:
			mem := e.Memory
			if mem == nil {
				return nil, linkErrorf("incompatible import type: %s.%s is not a memory", im.Module, im.Name)
			}
			if err := limitsMatch(im, mem.Min, mem.Max, mem.Max, mem.declaredMax); err != nil {
				return nil, err
			}
			if mem.Min < im.Memory.Min {
				inst.linkChecks = append(inst.linkChecks, linkCheck{mem: mem, minPages: im.Memory.Min})
			}
			inst.Mems = append(inst.Mems, mem)
		case module.KindGlobal:
			g := e.Global
			if g == nil {
				return nil, linkErrorf("incompatible import type: %s.%s is not a global", im.Module, im.Name)
			}
			if g.Type != im.Global {
				return nil, linkErrorf("incompatible import type: global %s.%s is %v (mutable %v), the module wants %v (mutable %v)",
					im.Module, im.Name, g.Type.Type, g.Type.Mutable, im.Global.Type, im.Global.Mutable)
			}
			inst.Globals = append(inst.Globals, g)
		}
	}
	// Own entities.
	for i := range m.Funcs {
		f := s.newFunction(m.Types[m.Funcs[i].Type], fmt.Sprintf("%s.func[%d]", instName(inst), int(m.NumImportedFuncs)+i))
		f.inst, f.index = inst, i
		inst.Funcs = append(inst.Funcs, f)
	}
	for _, t := range m.Tables {
		tb, err := s.newTable(t)
		if err != nil {
			return nil, err
		}
		inst.Tables = append(inst.Tables, tb)
	}
	for _, l := range m.Memories {
		inst.Mems = append(inst.Mems, s.newMemory(l))
	}
	if err := s.bindRuntimeImports(inst, pending); err != nil {
		return nil, err
	}
	for _, g := range m.Globals {
		v := s.constValue(inst, g.Init)
		inst.Globals = append(inst.Globals, s.newGlobal(g.Type, v))
	}
	for _, e := range m.Exports {
		var x Extern
		switch e.Kind {
		case module.KindFunc:
			x.Func = inst.Funcs[e.Index]
			if f := x.Func; f.inst == inst && !strings.Contains(f.Name, `"`) {
				f.Name += fmt.Sprintf(" (export %q)", e.Name)
			}
		case module.KindTable:
			x.Table = inst.Tables[e.Index]
		case module.KindMemory:
			x.Memory = inst.Mems[e.Index]
		case module.KindGlobal:
			x.Global = inst.Globals[e.Index]
		}
		inst.Exports[e.Name] = x
	}
	for _, f := range m.Funcs {
		for _, in := range f.Body {
			if in.Op == module.OpTableGrow {
				s.tableGrow = true
			}
		}
	}
	s.segments(inst)
	s.instances = append(s.instances, inst)
	return inst, s.data.err
}

func instName(inst *Instance) string {
	if inst.Name != "" {
		return inst.Name
	}
	return fmt.Sprintf("module%d", inst.id)
}

// limitsMatch checks an imported memory's or table's declared limits against what the
// exporter can offer; the minimum is checked again at instantiation when the exporter
// may have grown to it.
func limitsMatch(im module.Import, min, canGrowTo, max uint32, hasMax bool) error {
	l := im.Memory
	if im.Kind == module.KindTable {
		l = im.Table.Limits
	}
	if l.Min > canGrowTo {
		return linkErrorf("incompatible import type: %s.%s has at most %d, the module wants at least %d", im.Module, im.Name, canGrowTo, l.Min)
	}
	if l.HasMax && (!hasMax || max > l.Max) {
		return linkErrorf("incompatible import type: %s.%s may grow past the module's maximum %d", im.Module, im.Name, l.Max)
	}
	return nil
}

// constValue evaluates a constant expression. Its validity was checked.
func (s *Store) constValue(inst *Instance, c module.ConstExpr) uint64 {
	switch c.Op {
	case module.OpI32Const, module.OpI64Const, module.OpF32Const, module.OpF64Const:
		return c.Value
	case module.OpRefNull:
		return 0
	case module.OpRefFunc:
		return uint64(s.descOf(inst.Funcs[c.Value]))
	case module.OpGlobalGet:
		return inst.Globals[c.Value].Init
	}
	return 0
}

// segments places data and element segments: in the image when they go to a memory or
// table the instance owns and fit its initial size, else in the data area for the
// entry code or memory.init / table.init to copy.
func (s *Store) segments(inst *Instance) {
	m := inst.Module
	inst.staticData = make([]bool, len(m.Datas))
	inst.staticElem = make([]bool, len(m.Elems))
	// Own memory and table statics are only safe when the whole instantiation cannot
	// fail before them: every active segment in bounds and no link check.
	allStatic := len(inst.linkChecks) == 0
	for _, d := range m.Datas {
		if d.Mode != module.Active {
			continue
		}
		mem := inst.Mems[d.Memory]
		off := s.constValue(inst, d.Offset)
		if d.Memory < m.NumImportedMemories || uint64(uint32(off))+uint64(len(d.Bytes)) > uint64(mem.Min)*PageSize {
			allStatic = false
		}
	}
	for _, e := range m.Elems {
		if e.Mode != module.Active {
			continue
		}
		t := inst.Tables[e.Table]
		off := s.constValue(inst, e.Offset)
		if e.Table < m.NumImportedTables || uint64(uint32(off))+uint64(len(e.Init)) > uint64(t.Min) {
			allStatic = false
		}
	}
	for i, d := range m.Datas {
		seg := segment{len: uint32(len(d.Bytes))}
		if d.Mode == module.Active && allStatic {
			inst.staticData[i] = true
			if len(d.Bytes) > 0 {
				off := uint32(s.constValue(inst, d.Offset))
				s.memData = append(s.memData, memData{mem: inst.Mems[d.Memory], off: off, bytes: d.Bytes})
			}
		} else {
			seg.cell = s.data.alloc(4)
			if len(d.Bytes) > 0 {
				seg.addr = s.data.alloc(uint32(len(d.Bytes)))
				s.b.Data(seg.addr, d.Bytes)
			}
			if d.Mode == module.Passive {
				s.setWord(seg.cell, seg.len)
			}
		}
		inst.datas = append(inst.datas, seg)
	}
	for i, e := range m.Elems {
		seg := segment{len: uint32(len(e.Init))}
		words := make([]uint32, len(e.Init))
		for k, c := range e.Init {
			words[k] = uint32(s.constValue(inst, c))
		}
		if e.Mode == module.Active && allStatic {
			inst.staticElem[i] = true
			t := inst.Tables[e.Table]
			off := uint32(s.constValue(inst, e.Offset))
			for k, w := range words {
				s.setWord(t.Addr+4+4*(off+uint32(k)), w)
			}
		} else {
			seg.cell = s.data.alloc(4)
			if len(words) > 0 {
				seg.addr = s.data.alloc(4 * uint32(len(words)))
				s.b.Words(seg.addr, words...)
			}
			if e.Mode == module.Passive {
				s.setWord(seg.cell, seg.len)
			}
		}
		inst.elems = append(inst.elems, seg)
	}
}

// placeMemories gives each memory its region of the address space and writes the
// descriptors' initial words. Memories with a declared maximum get what they may
// grow to when everything fits; the rest share what is left equally.
func (s *Store) placeMemories() error {
	total := uint64(1<<32-MemoryRegion) / PageSize // pages available
	var want uint64
	unbounded := 0
	for _, m := range s.memories {
		if m.declaredMax {
			want += uint64(m.Max)
		} else {
			want += uint64(m.Min)
			unbounded++
		}
	}
	if want > total {
		// Not everything fits: give each memory its initial size, and share the rest.
		var mins uint64
		for _, m := range s.memories {
			mins += uint64(m.Min)
		}
		if mins > total {
			return errorf("the memories' initial sizes (%d pages) exceed the %d pages of the address space", mins, total)
		}
		share := (total - mins) / uint64(len(s.memories))
		for _, m := range s.memories {
			m.Cap = uint32(min(uint64(m.Max), uint64(m.Min)+share))
		}
	} else {
		var share uint64
		if unbounded > 0 {
			share = (total - want) / uint64(unbounded)
		}
		for _, m := range s.memories {
			if m.declaredMax {
				m.Cap = m.Max
			} else {
				m.Cap = uint32(min(uint64(m.Max), uint64(m.Min)+share))
			}
		}
	}
	base := uint64(MemoryRegion)
	for _, m := range s.memories {
		m.Base = uint32(base)
		base += uint64(m.Cap) * PageSize
		size := uint64(m.Min) * PageSize
		s.setWord(m.Desc+memBytes, uint32(size))
		s.setWord(m.Desc+memPages, m.Min)
		s.setWord(m.Desc+memFast, fastLimit(size))
	}
	s.flushMemData()
	return nil
}

type memData struct {
	mem   *Memory
	off   uint32
	bytes []byte
}

// flushMemData writes the static data segments into the image. Segments may overlap
// (a later one wins); overlapping ones are merged into one buffer per cluster, whose
// size is at most the sum of the members' sizes.
func (s *Store) flushMemData() {
	type iv struct {
		start, end uint64
		idx        int
	}
	ivs := make([]iv, len(s.memData))
	for i, d := range s.memData {
		st := uint64(d.mem.Base) + uint64(d.off)
		ivs[i] = iv{st, st + uint64(len(d.bytes)), i}
	}
	sort.Slice(ivs, func(i, j int) bool { return ivs[i].start < ivs[j].start })
	for i := 0; i < len(ivs); {
		j, end := i+1, ivs[i].end
		for j < len(ivs) && ivs[j].start < end {
			end = max(end, ivs[j].end)
			j++
		}
		cl := append([]iv(nil), ivs[i:j]...)
		sort.Slice(cl, func(a, b int) bool { return cl[a].idx < cl[b].idx })
		buf := make([]byte, end-ivs[i].start)
		for _, c := range cl {
			copy(buf[c.start-ivs[i].start:], s.memData[c.idx].bytes)
		}
		s.b.Data(uint32(ivs[i].start), buf)
		i = j
	}
}

// setWord sets a word of the initial image in the data area (later writes win).
func (s *Store) setWord(addr, v uint32) { s.words[addr] = v }

// flushWords writes the words set with setWord into the builder, in runs.
func (s *Store) flushWords() {
	addrs := make([]uint32, 0, len(s.words))
	for a, v := range s.words {
		if v != 0 { // memory is zero where the image says nothing
			addrs = append(addrs, a)
		}
	}
	sort.Slice(addrs, func(i, j int) bool { return addrs[i] < addrs[j] })
	for i := 0; i < len(addrs); {
		j := i + 1
		for j < len(addrs) && addrs[j] == addrs[j-1]+4 {
			j++
		}
		ws := make([]uint32, j-i)
		for k := range ws {
			ws[k] = s.words[addrs[i+k]]
		}
		s.b.Words(addrs[i], ws...)
		i = j
	}
}

func fastLimit(size uint64) uint32 {
	if size < FastWindow {
		return 0
	}
	return uint32(size - FastWindow)
}
