package module

import "bytes"

// Implementation limits: a module past them is refused as unsupported (or, for locals,
// malformed as the spec's "too many locals") instead of exhausting memory.
const (
	MaxModuleBytes = 64 << 20 // a module's size
	MaxLocals      = 50000    // parameters and locals of one function
	MaxBrTable     = 1 << 20  // labels of one br_table
	MaxInstrs      = 4 << 20  // instructions of all function bodies together
)

var magic = []byte{0x00, 0x61, 0x73, 0x6D}

// Section ids.
const (
	secCustom    = 0
	secType      = 1
	secImport    = 2
	secFunction  = 3
	secTable     = 4
	secMemory    = 5
	secGlobal    = 6
	secExport    = 7
	secStart     = 8
	secElement   = 9
	secCode      = 10
	secData      = 11
	secDataCount = 12
)

// sectionOrder gives each known section's rank: sections must appear in increasing rank.
var sectionOrder = [...]int{
	secType: 1, secImport: 2, secFunction: 3, secTable: 4, secMemory: 5, secGlobal: 6, secExport: 7,
	secStart: 8, secElement: 9, secDataCount: 10, secCode: 11, secData: 12,
}

// Decode parses a binary module. It checks the binary format only (syntax); call
// [Module.Validate] for the type rules. It never panics and never allocates much more
// than the input's size, whatever the input.
func Decode(b []byte) (*Module, error) {
	if len(b) > MaxModuleBytes {
		return nil, unsupported(0, "module of %d bytes exceeds the limit of %d bytes", len(b), MaxModuleBytes)
	}
	d := &decoder{r: reader{b: b, end: len(b)}, m: &Module{}}
	if err := d.module(); err != nil {
		return nil, err
	}
	return d.m, nil
}

type decoder struct {
	r        reader
	m        *Module
	funcDecl []uint32 // type indices from the function section
	hasFuncs bool
	hasCode  bool
	usesData bool // memory.init or data.drop appears in code
	dataSeen bool
	ninstrs  int // instructions decoded so far
}

func (d *decoder) module() error {
	r := &d.r
	if len(r.b) < 4 || !bytes.Equal(r.b[:4], magic) {
		return malformed(0, "magic header not detected")
	}
	if len(r.b) < 8 {
		return malformed(4, "unexpected end: no version")
	}
	if !bytes.Equal(r.b[4:8], []byte{1, 0, 0, 0}) {
		return malformed(4, "unknown binary version")
	}
	r.pos = 8
	last := 0
	for !r.eof() {
		idOff := r.pos
		id := r.byte()
		size := r.u32()
		if r.err != nil {
			return r.err
		}
		if int(size) > r.remaining() {
			return malformed(r.pos, "length out of bounds: section of %d bytes, %d left (unexpected end)", size, r.remaining())
		}
		start, end := r.pos, r.pos+int(size)
		if id != secCustom {
			if int(id) >= len(sectionOrder) || sectionOrder[id] == 0 {
				return malformed(idOff, "malformed section id %d", id)
			}
			if rank := sectionOrder[id]; rank <= last {
				return malformed(idOff, "unexpected content after last section (section %d out of order or repeated)", id)
			} else {
				last = rank
			}
		}
		sub := reader{b: r.b, pos: start, end: end}
		if err := d.section(id, &sub); err != nil {
			return err
		}
		if sub.pos != end {
			return malformed(sub.pos, "section size mismatch: section %d ends at 0x%x, its content at 0x%x", id, end, sub.pos)
		}
		r.pos = end
	}
	if len(d.funcDecl) != len(d.m.Funcs) {
		return malformed(len(r.b), "function and code section have inconsistent lengths (%d and %d)", len(d.funcDecl), len(d.m.Funcs))
	}
	if d.m.HasCount && !d.dataSeen && d.m.DataCount != 0 {
		return malformed(len(r.b), "data count and data section have inconsistent lengths (%d and 0)", d.m.DataCount)
	}
	if d.usesData && !d.m.HasCount {
		return malformed(len(r.b), "data count section required (memory.init or data.drop is used)")
	}
	return nil
}

func (d *decoder) section(id byte, r *reader) error {
	m := d.m
	switch id {
	case secCustom:
		r.name()
		r.pos = r.end
	case secType:
		n := r.count(3)
		m.Types = make([]FuncType, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			at := r.pos
			if c := r.byte(); c != 0x60 && r.err == nil {
				return malformed(at, "malformed function type: 0x%02x instead of 0x60", c)
			}
			var ft FuncType
			ft.Params = d.valTypes(r)
			ft.Results = d.valTypes(r)
			m.Types = append(m.Types, ft)
		}
	case secImport:
		n := r.count(4)
		m.Imports = make([]Import, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			var im Import
			im.Module = r.name()
			im.Name = r.name()
			at := r.pos
			im.Kind = ExternKind(r.byte())
			switch im.Kind {
			case KindFunc:
				im.Type = r.u32()
				m.NumImportedFuncs++
			case KindTable:
				im.Table = d.tableType(r)
				m.NumImportedTables++
			case KindMemory:
				im.Memory = d.limits(r)
				m.NumImportedMemories++
			case KindGlobal:
				im.Global = d.globalType(r)
				m.NumImportedGlobals++
			default:
				if r.err == nil {
					return malformed(at, "malformed import kind 0x%02x", byte(im.Kind))
				}
			}
			m.Imports = append(m.Imports, im)
		}
	case secFunction:
		n := r.count(1)
		d.hasFuncs = true
		d.funcDecl = make([]uint32, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			d.funcDecl = append(d.funcDecl, r.u32())
		}
	case secTable:
		n := r.count(3)
		for i := 0; i < n && r.err == nil; i++ {
			m.Tables = append(m.Tables, d.tableType(r))
		}
	case secMemory:
		n := r.count(2)
		for i := 0; i < n && r.err == nil; i++ {
			m.Memories = append(m.Memories, d.limits(r))
		}
	case secGlobal:
		n := r.count(3)
		for i := 0; i < n && r.err == nil; i++ {
			var g Global
			g.Type = d.globalType(r)
			g.Init = d.constExpr(r)
			m.Globals = append(m.Globals, g)
		}
	case secExport:
		n := r.count(3)
		for i := 0; i < n && r.err == nil; i++ {
			var e Export
			e.Name = r.name()
			at := r.pos
			e.Kind = ExternKind(r.byte())
			if e.Kind > KindGlobal && r.err == nil {
				return malformed(at, "malformed export kind 0x%02x", byte(e.Kind))
			}
			e.Index = r.u32()
			m.Exports = append(m.Exports, e)
		}
	case secStart:
		m.Start = r.u32()
		m.HasStart = true
	case secElement:
		n := r.count(2)
		for i := 0; i < n && r.err == nil; i++ {
			m.Elems = append(m.Elems, d.elem(r))
		}
	case secDataCount:
		m.DataCount = r.u32()
		m.HasCount = true
	case secCode:
		n := r.count(2)
		d.hasCode = true
		if n != len(d.funcDecl) {
			return malformed(r.pos, "function and code section have inconsistent lengths (%d and %d)", len(d.funcDecl), n)
		}
		m.Funcs = make([]Func, 0, n)
		for i := 0; i < n && r.err == nil; i++ {
			f := d.code(r, i)
			f.Type = d.funcDecl[i]
			m.Funcs = append(m.Funcs, f)
		}
	case secData:
		at := r.pos
		n := r.count(2)
		if m.HasCount && uint32(n) != m.DataCount && r.err == nil {
			return malformed(at, "data count and data section have inconsistent lengths (%d and %d)", m.DataCount, n)
		}
		d.dataSeen = true
		for i := 0; i < n && r.err == nil; i++ {
			m.Datas = append(m.Datas, d.data(r))
		}
	}
	if r.err != nil {
		return r.err
	}
	return nil
}

func (d *decoder) valType(r *reader) ValType {
	at := r.pos
	t := ValType(r.byte())
	if r.err != nil {
		return 0
	}
	switch t {
	case I32, I64, F32, F64, FuncRef, ExternRef:
		return t
	case V128:
		r.fail(unsupported(at, "the v128 type (SIMD) is not supported"))
		return 0
	}
	r.fail(malformed(at, "malformed value type 0x%02x", byte(t)))
	return 0
}

func (d *decoder) valTypes(r *reader) []ValType {
	n := r.count(1)
	ts := make([]ValType, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		ts = append(ts, d.valType(r))
	}
	return ts
}

func (d *decoder) refType(r *reader) ValType {
	at := r.pos
	t := ValType(r.byte())
	if r.err == nil && t != FuncRef && t != ExternRef {
		r.fail(malformed(at, "malformed reference type 0x%02x", byte(t)))
	}
	return t
}

func (d *decoder) limits(r *reader) Limits {
	at := r.pos
	flag := r.byte()
	var l Limits
	switch flag {
	case 0:
		l.Min = r.u32()
	case 1:
		l.Min = r.u32()
		l.Max = r.u32()
		l.HasMax = true
	default:
		if r.err == nil {
			r.fail(malformed(at, "integer too large: malformed limits flags 0x%02x", flag))
		}
	}
	return l
}

func (d *decoder) tableType(r *reader) TableType {
	t := d.refType(r)
	return TableType{Elem: t, Limits: d.limits(r)}
}

func (d *decoder) globalType(r *reader) GlobalType {
	t := d.valType(r)
	at := r.pos
	mut := r.byte()
	if mut > 1 && r.err == nil {
		r.fail(malformed(at, "malformed mutability 0x%02x", mut))
	}
	return GlobalType{Type: t, Mutable: mut == 1}
}

func (d *decoder) elem(r *reader) Elem {
	at := r.pos
	flags := r.u32()
	e := Elem{Type: FuncRef, Off: uint32(at)}
	if r.err != nil {
		return e
	}
	if flags > 7 {
		r.fail(malformed(at, "malformed elements segment kind %d", flags))
		return e
	}
	switch {
	case flags&1 == 0:
		e.Mode = Active
	case flags&2 == 0:
		e.Mode = Passive
	default:
		e.Mode = Declarative
	}
	if e.Mode == Active {
		if flags&2 != 0 {
			e.Table = r.u32()
		}
		e.Offset = d.constExpr(r)
	}
	exprs := flags&4 != 0
	if flags&3 != 0 { // an element kind or reference type is given
		if exprs {
			e.Type = d.refType(r)
		} else {
			k := r.byte()
			if k != 0 && r.err == nil {
				r.fail(malformed(r.pos-1, "malformed element kind 0x%02x", k))
			}
		}
	}
	n := r.count(1)
	e.Init = make([]ConstExpr, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		if exprs {
			e.Init = append(e.Init, d.constExpr(r))
		} else {
			off := r.pos
			e.Init = append(e.Init, ConstExpr{Op: OpRefFunc, Value: uint64(r.u32()), Off: uint32(off)})
		}
	}
	return e
}

func (d *decoder) data(r *reader) Data {
	at := r.pos
	flags := r.u32()
	s := Data{Off: uint32(at)}
	switch flags {
	case 0:
		s.Offset = d.constExpr(r)
	case 1:
		s.Mode = Passive
	case 2:
		s.Memory = r.u32()
		s.Offset = d.constExpr(r)
	default:
		if r.err == nil {
			r.fail(malformed(at, "malformed data segment kind %d", flags))
		}
		return s
	}
	n := r.count(1)
	s.Bytes = r.bytes(n)
	return s
}
