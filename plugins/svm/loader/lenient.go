package loader

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
)

// elfFile is a parsed ELF of v0..v2 (the lenient parser).
type elfFile struct {
	b       []byte
	h       ehdr
	ph      []phdr
	sh      []shdr
	shstr   *shdr
	dynstr  *shdr
	dynsyms []symbol
	rels    []rel
}

// parse is Agave's Elf64::parse: file header, program and section header tables, their
// overlaps and order, the section names, and the dynamic section's relocations and
// symbols.
func parse(b []byte) (*elfFile, *Error) {
	if len(b) < ehdrSize {
		return nil, parseErr("OutOfBounds", "file header")
	}
	f := &elfFile{b: b, h: readEhdr(b)}
	h := f.h
	if !bytes.Equal(h.ident[:4], []byte("\x7fELF")) || h.ident[4] != 2 || h.ident[5] != 1 || h.ident[6] != 1 ||
		h.version != 1 || h.ehsize != ehdrSize || h.phentsize != phdrSize || h.shentsize != shdrSize ||
		h.shstrndx >= h.shnum {
		return nil, parseErr("InvalidFileHeader", "")
	}
	fh := span{0, ehdrSize}
	phEnd, ok := addChecked(h.phoff, uint64(phdrSize)*uint64(h.phnum))
	if !ok {
		return nil, parseErr("OutOfBounds", "program header table")
	}
	pht := span{h.phoff, phEnd}
	if fh.overlaps(pht) {
		return nil, parseErr("Overlap", "")
	}
	phb, err := slice(b, pht, phdrSize, 8)
	if err != nil {
		return nil, err
	}
	for i := 0; i < len(phb); i += phdrSize {
		f.ph = append(f.ph, readPhdr(phb[i:]))
	}
	shEnd, ok := addChecked(h.shoff, uint64(shdrSize)*uint64(h.shnum))
	if !ok {
		return nil, parseErr("OutOfBounds", "section header table")
	}
	sht := span{h.shoff, shEnd}
	if fh.overlaps(sht) || pht.overlaps(sht) {
		return nil, parseErr("Overlap", "")
	}
	shb, err := slice(b, sht, shdrSize, 8)
	if err != nil {
		return nil, err
	}
	for i := 0; i < len(shb); i += shdrSize {
		f.sh = append(f.sh, readShdr(shb[i:]))
	}
	if len(f.sh) == 0 || f.sh[0].typ != shtNull {
		return nil, parseErr("InvalidSectionHeader", "first section")
	}
	var vaddr uint64
	for _, p := range f.ph {
		if p.typ != ptLoad {
			continue
		}
		if p.vaddr < vaddr {
			return nil, parseErr("InvalidProgramHeader", "program headers not ascending")
		}
		end, ok := addChecked(p.offset, p.filesz)
		if !ok || end > uint64(len(b)) {
			return nil, parseErr("OutOfBounds", "program header")
		}
		vaddr = p.vaddr
	}
	var offset uint64
	for _, s := range f.sh {
		if s.typ == shtNobits {
			continue
		}
		end, ok := addChecked(s.offset, s.size)
		if !ok {
			return nil, parseErr("OutOfBounds", "section")
		}
		r := span{s.offset, end}
		if r.overlaps(fh) || r.overlaps(pht) || r.overlaps(sht) {
			return nil, parseErr("Overlap", "")
		}
		if r.start < offset {
			return nil, parseErr("SectionNotInOrder", "")
		}
		offset = r.end
		if offset > uint64(len(b)) {
			return nil, parseErr("OutOfBounds", "section")
		}
	}
	if h.shstrndx != 0 {
		f.shstr = &f.sh[h.shstrndx]
	}
	if err := f.parseSections(); err != nil {
		return nil, err
	}
	if err := f.parseDynamic(); err != nil {
		return nil, err
	}
	return f, nil
}

// str reads a NUL-terminated string at off in a string table, at most max bytes.
func (f *elfFile) str(table *shdr, off uint32, max int) ([]byte, *Error) {
	if table == nil {
		return nil, parseErr("NoSectionNameStringTable", "")
	}
	if table.typ != shtStrtab {
		return nil, parseErr("InvalidSectionHeader", "string table")
	}
	start, ok := addChecked(table.offset, uint64(off))
	if !ok {
		return nil, parseErr("OutOfBounds", "string")
	}
	tend, ok1 := addChecked(table.offset, table.size)
	mend, ok2 := addChecked(start, uint64(max))
	if !ok1 || !ok2 {
		return nil, parseErr("OutOfBounds", "string")
	}
	end := min(tend, mend)
	if end < start || end > uint64(len(f.b)) {
		return nil, parseErr("OutOfBounds", "string")
	}
	s := f.b[start:end]
	if i := bytes.IndexByte(s, 0); i >= 0 {
		return s[:i], nil
	}
	return nil, parseErr("StringTooLong", fmt.Sprintf("%q, %d", string(s), max))
}

func (f *elfFile) sectionName(s shdr) ([]byte, *Error) { return f.str(f.shstr, s.name, sectionNameMax) }

func (f *elfFile) parseSections() *Error {
	if f.shstr == nil {
		return parseErr("NoSectionNameStringTable", "")
	}
	var symtab, strtab bool
	for i := range f.sh {
		name, err := f.sectionName(f.sh[i])
		if err != nil {
			return err
		}
		switch string(name) {
		case ".symtab":
			if symtab {
				return parseErr("InvalidSectionHeader", "two .symtab")
			}
			symtab = true
		case ".strtab":
			if strtab {
				return parseErr("InvalidSectionHeader", "two .strtab")
			}
			strtab = true
		case ".dynstr":
			if f.dynstr != nil {
				return parseErr("InvalidSectionHeader", "two .dynstr")
			}
			f.dynstr = &f.sh[i]
		}
	}
	return nil
}

func (f *elfFile) parseDynamic() *Error {
	var table []byte
	for _, p := range f.ph {
		if p.typ == ptDynamic {
			end, ok := addChecked(p.offset, p.filesz)
			if ok {
				if t, err := slice(f.b, span{p.offset, end}, dynSize, 8); err == nil {
					table = t
				}
			}
			break
		}
	}
	if table == nil {
		for _, s := range f.sh {
			if s.typ == shtDynamic {
				end, ok := addChecked(s.offset, s.size)
				if !ok {
					return parseErr("InvalidDynamicSectionTable", "")
				}
				t, err := slice(f.b, span{s.offset, end}, dynSize, 8)
				if err != nil {
					return parseErr("InvalidDynamicSectionTable", "")
				}
				table = t
				break
			}
		}
	}
	if table == nil {
		return nil
	}
	var dyn [dtNum]uint64
	for i := 0; i < len(table); i += dynSize {
		tag, val := le.Uint64(table[i:]), le.Uint64(table[i+8:])
		if tag == dtNull {
			break
		}
		if tag < dtNum {
			dyn[tag] = val
		}
	}
	if va := dyn[dtRel]; va != 0 {
		if dyn[dtRelent] != relSize || dyn[dtRelsz] == 0 {
			return parseErr("InvalidDynamicSectionTable", "relocations")
		}
		var off uint64
		found := false
		for _, p := range f.ph {
			end, ok := addChecked(p.vaddr, p.memsz)
			if !ok {
				return parseErr("OutOfBounds", "program header")
			}
			if va >= p.vaddr && va < end {
				o, ok1 := addChecked(va-p.vaddr, p.offset)
				if !ok1 {
					return parseErr("OutOfBounds", "relocations")
				}
				off, found = o, true
				break
			}
		}
		if !found {
			for _, s := range f.sh {
				if s.addr == va {
					off, found = s.offset, true
					break
				}
			}
		}
		if !found {
			return parseErr("InvalidDynamicSectionTable", "relocations")
		}
		end, ok := addChecked(off, dyn[dtRelsz])
		if !ok {
			return parseErr("OutOfBounds", "relocations")
		}
		rb, err := slice(f.b, span{off, end}, relSize, 8)
		if err != nil {
			return parseErr("InvalidDynamicSectionTable", "relocations")
		}
		for i := 0; i < len(rb); i += relSize {
			f.rels = append(f.rels, rel{offset: le.Uint64(rb[i:]), info: le.Uint64(rb[i+8:])})
		}
	}
	if va := dyn[dtSymtab]; va != 0 {
		var sec *shdr
		for i := range f.sh {
			if f.sh[i].addr == va {
				sec = &f.sh[i]
				break
			}
		}
		if sec == nil {
			return parseErr("InvalidDynamicSectionTable", "symbols")
		}
		if sec.typ != shtSymtab && sec.typ != shtDynsym {
			return parseErr("InvalidSectionHeader", "symbol table")
		}
		end, ok := addChecked(sec.offset, sec.size)
		if !ok {
			return parseErr("OutOfBounds", "symbols")
		}
		sb, err := slice(f.b, span{sec.offset, end}, symSize, 8)
		if err != nil {
			return err
		}
		for i := 0; i < len(sb); i += symSize {
			f.dynsyms = append(f.dynsyms, readSym(sb[i:]))
		}
	}
	return nil
}

// section returns the first section with the given name.
func (f *elfFile) section(name string) (shdr, bool) {
	for _, s := range f.sh {
		if n, err := f.sectionName(s); err == nil && string(n) == name {
			return s, true
		}
	}
	return shdr{}, false
}

// loadLenient is the loader of v0..v2: Agave's load_with_lenient_parser.
func loadLenient(b []byte, cfg Config) (*Executable, *Error) {
	f, err := parse(b)
	if err != nil {
		return nil, err
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	text, _ := f.section(".text")
	textVaddr := satAdd(text.addr, RegionSize)
	if (cfg.RejectBrokenELFs && text.addr != text.offset) || textVaddr >= stackStartVaddr {
		return nil, loadErr("ValueOutOfBounds", "text section address")
	}
	img := append([]byte{}, b...) // relocated in place
	functions := map[uint32]int{}
	if err := f.relocate(img, text, cfg, functions); err != nil {
		return nil, err
	}
	off := satSub(f.h.entry, text.addr)
	if off%sbpf.InsnSize != 0 {
		return nil, loadErr("InvalidEntrypoint", "")
	}
	entry := int(off / sbpf.InsnSize)
	ek := sbpf.SymbolHash("entrypoint")
	delete(functions, ek)
	if cfg.Syscalls[ek] {
		return nil, loadErr("SymbolHashCollision", "0x%x", ek)
	}
	functions[ek] = entry

	ro, roVaddr, err := f.roSections(img, cfg)
	if err != nil {
		return nil, err
	}
	if cfg.OptimizeRodata && roVaddr>>32 != 1 {
		return nil, loadErr("ValueOutOfBounds", "read-only data address")
	}
	// The text as the VM sees it: inside the read-only region.
	tr := text.fileRange()
	var code []byte
	if roVaddr <= textVaddr && textVaddr-roVaddr <= uint64(len(ro)) && uint64(len(ro))-(textVaddr-roVaddr) >= tr.end-tr.start {
		start := textVaddr - roVaddr
		code = ro[start : start+(tr.end-tr.start)]
	} else {
		code = img[tr.start:tr.end]
	}
	return &Executable{Text: append([]byte{}, code...), TextVaddr: textVaddr, Ro: ro, RoVaddr: roVaddr,
		Entry: entry, Functions: functions}, nil
}

// validate is Agave's Executable::validate.
func (f *elfFile) validate() *Error {
	h := f.h
	switch {
	case h.ident[4] != 2:
		return loadErr("WrongClass", "")
	case h.ident[5] != 1:
		return loadErr("WrongEndianess", "")
	case h.ident[7] != 0:
		return loadErr("WrongAbi", "")
	case h.machine != emBPF && h.machine != emSBPF:
		return loadErr("WrongMachine", "%d", h.machine)
	case h.typ != etDyn:
		return loadErr("WrongType", "%d", h.typ)
	}
	n := 0
	for _, s := range f.sh {
		if name, err := f.sectionName(s); err == nil && string(name) == ".text" {
			n++
		}
	}
	if n != 1 {
		return loadErr("NotOneTextSection", "")
	}
	for _, s := range f.sh {
		name, err := f.sectionName(s)
		if err != nil {
			continue
		}
		writable := s.flags&(shfAlloc|shfWrite) == shfAlloc|shfWrite
		if strings.HasPrefix(string(name), ".bss") ||
			(writable && strings.HasPrefix(string(name), ".data") && !strings.HasPrefix(string(name), ".data.rel")) {
			return loadErr("WritableSectionNotSupported", "%q", string(name))
		}
	}
	for _, s := range f.sh {
		end, ok := addChecked(s.offset, s.size)
		if !ok || end > uint64(len(f.b)) {
			return loadErr("ValueOutOfBounds", "section bytes")
		}
	}
	text, _ := f.section(".text")
	if !text.vmContains(h.entry) {
		return loadErr("EntrypointOutOfBounds", "")
	}
	return nil
}

// register records an internal function under the key of its pc (or of "entrypoint").
func register(functions map[uint32]int, cfg Config, name string, pc int) (uint32, *Error) {
	var key uint32
	if name == "entrypoint" {
		key = sbpf.SymbolHash("entrypoint")
	} else {
		key = sbpf.PCHash(uint64(pc))
	}
	if cfg.Syscalls[key] {
		return 0, loadErr("SymbolHashCollision", "0x%x", key)
	}
	if old, ok := functions[key]; ok && old != pc {
		return 0, loadErr("SymbolHashCollision", "0x%x", key)
	}
	functions[key] = pc
	return key, nil
}

// relocate fixes up relative calls and applies the dynamic relocations to img.
func (f *elfFile) relocate(img []byte, text shdr, cfg Config, functions map[uint32]int) *Error {
	tr := text.fileRange()
	if tr.end > uint64(len(img)) || tr.end < tr.start {
		return loadErr("ValueOutOfBounds", "text")
	}
	code := img[tr.start:tr.end]
	count := len(code) / sbpf.InsnSize
	for i := 0; i < count; i++ {
		in := sbpf.DecodeInsn(code[i*sbpf.InsnSize:])
		if in.Op != 0x85 || in.Imm == -1 {
			continue
		}
		target := i + 1 + int(in.Imm)
		if target < 0 || target >= count {
			return loadErr("RelativeJumpOutOfBounds", "%d", i)
		}
		key, err := register(functions, cfg, "", target)
		if err != nil {
			return err
		}
		le.PutUint32(code[i*sbpf.InsnSize+4:], key)
	}
	get32 := func(off uint64) (uint32, *Error) {
		if end, ok := addChecked(off, 4); !ok || end > uint64(len(img)) {
			return 0, loadErr("ValueOutOfBounds", "relocation at 0x%x", off)
		}
		return le.Uint32(img[off:]), nil
	}
	put32 := func(off uint64, v uint32) *Error {
		if end, ok := addChecked(off, 4); !ok || end > uint64(len(img)) {
			return loadErr("ValueOutOfBounds", "relocation at 0x%x", off)
		}
		le.PutUint32(img[off:], v)
		return nil
	}
	sym := func(r rel) (symbol, *Error) {
		idx := r.info >> 32
		if f.dynsyms == nil || idx >= uint64(len(f.dynsyms)) {
			return symbol{}, loadErr("UnknownSymbol", "%d", idx)
		}
		return f.dynsyms[idx], nil
	}
	for _, r := range f.rels {
		imm := satAdd(r.offset, 4)
		switch uint32(r.info) {
		case rX8664_64:
			refd, err := get32(imm)
			if err != nil {
				return err
			}
			s, err := sym(r)
			if err != nil {
				return err
			}
			addr := satAdd(s.value, uint64(refd))
			if addr < RegionSize {
				addr += RegionSize
			}
			if err := put32(imm, uint32(addr)); err != nil {
				return err
			}
			if err := put32(satAdd(imm, sbpf.InsnSize), uint32(addr>>32)); err != nil {
				return err
			}
		case rX8664Relative:
			if r.offset >= tr.start && r.offset < tr.end {
				lo, err := get32(imm)
				if err != nil {
					return err
				}
				hiOff := satAdd(satAdd(r.offset, sbpf.InsnSize), 4)
				hi, err := get32(hiOff)
				if err != nil {
					return err
				}
				refd := uint64(hi)<<32 | uint64(lo)
				if refd == 0 {
					return loadErr("InvalidVirtualAddress", "0x0")
				}
				if refd < RegionSize {
					refd += RegionSize
				}
				if err := put32(imm, uint32(refd)); err != nil {
					return err
				}
				if err := put32(hiOff, uint32(refd>>32)); err != nil {
					return err
				}
			} else {
				// Toolchains before solana-labs/llvm-project#35 wrote the low 32 bits
				// only; the loader keeps reading them that way for old programs.
				refd, err := get32(imm)
				if err != nil {
					return err
				}
				v := RegionSize + uint64(refd)
				if end, ok := addChecked(r.offset, 8); !ok || end > uint64(len(img)) {
					return loadErr("ValueOutOfBounds", "relocation at 0x%x", r.offset)
				}
				le.PutUint64(img[r.offset:], v)
			}
		case rX8664_32:
			s, err := sym(r)
			if err != nil {
				return err
			}
			name, perr := f.str(f.dynstr, s.name, symbolNameMax)
			if f.dynstr == nil || perr != nil {
				return loadErr("UnknownSymbol", "%d", s.name)
			}
			var key uint32
			if s.info&0xf == 2 && s.value != 0 {
				if !text.vmContains(s.value) {
					return loadErr("ValueOutOfBounds", "call target 0x%x", s.value)
				}
				key, err = register(functions, cfg, string(name), int((s.value-text.addr)/sbpf.InsnSize))
				if err != nil {
					return err
				}
			} else {
				key = sbpf.Murmur3(name, 0)
				if cfg.RejectBrokenELFs && !cfg.Syscalls[key] {
					return loadErr("UnresolvedSymbol", "%q, %d, %d", string(name), r.offset/sbpf.InsnSize, r.offset)
				}
			}
			if err := put32(imm, key); err != nil {
				return err
			}
		default:
			return loadErr("UnknownRelocation", "%d", uint32(r.info))
		}
	}
	return nil
}

// roSections is Agave's parse_ro_sections: the read-only region (text, .rodata,
// .data.rel.ro, .eh_frame) and its virtual address.
func (f *elfFile) roSections(img []byte, cfg Config) ([]byte, uint64, *Error) {
	lowest, highest, fill := uint64(1<<64-1), uint64(0), uint64(0)
	invalidOffsets := false
	first, last, n := 0, 0, 0
	type piece struct {
		addr uint64
		data []byte
	}
	var pieces []piece
	for i, s := range f.sh {
		name, err := f.sectionName(s)
		if err != nil {
			continue
		}
		switch string(name) {
		case ".text", ".rodata", ".data.rel.ro", ".eh_frame":
		default:
			continue
		}
		if n == 0 {
			first = i
		}
		last = i
		n++
		if !invalidOffsets && s.addr != s.offset {
			invalidOffsets = true
		}
		if (cfg.RejectBrokenELFs && invalidOffsets) || satAdd(s.addr, RegionSize) > stackStartVaddr {
			return nil, 0, loadErr("ValueOutOfBounds", "read-only section")
		}
		r := s.fileRange()
		if r.end < r.start || r.end > uint64(len(img)) {
			return nil, 0, loadErr("ValueOutOfBounds", "read-only section bytes")
		}
		data := img[r.start:r.end]
		lowest = min(lowest, s.addr)
		highest = max(highest, satAdd(s.addr, uint64(len(data))))
		fill = satAdd(fill, uint64(len(data)))
		if len(data) > 0 {
			pieces = append(pieces, piece{s.addr, data})
		}
	}
	if cfg.RejectBrokenELFs && satAdd(lowest, fill) > highest {
		return nil, 0, loadErr("ValueOutOfBounds", "overlapping read-only sections")
	}
	base := func(lo uint64) uint64 {
		if lo >= RegionSize {
			return lo
		}
		return lo + RegionSize
	}
	canBorrow := !invalidOffsets && last+1-first == n
	if cfg.OptimizeRodata && canBorrow {
		if highest > uint64(len(img)) || lowest > highest {
			return nil, 0, loadErr("ValueOutOfBounds", "read-only sections")
		}
		return append([]byte{}, img[lowest:highest]...), base(lowest), nil
	}
	if cfg.OptimizeRodata {
		highest = satSub(highest, lowest)
	} else {
		lowest = 0
	}
	if highest > uint64(len(img)) {
		return nil, 0, loadErr("ValueOutOfBounds", "read-only sections")
	}
	buf := make([]byte, highest)
	for _, p := range pieces {
		start := satSub(p.addr, lowest)
		if start >= uint64(len(buf)) {
			continue
		}
		copy(buf[start:], p.data)
	}
	return buf, base(lowest), nil
}
