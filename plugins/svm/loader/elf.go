package loader

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
)

// Errors of the loader. ErrParse wraps what Agave reports as FailedToParse (the ELF
// parser refused the file); ErrLoad wraps every other refusal.
var (
	ErrParse = errors.New("elf parse")
	ErrLoad  = errors.New("elf load")
)

// Error is a loader refusal: Kind names it as Agave's ElfError does (InvalidFileHeader,
// WritableSectionNotSupported, UnresolvedSymbol, …), Detail says where.
type Error struct {
	Kind   string
	Detail string
	parse  bool
}

func (e *Error) Error() string {
	s := e.Kind
	if e.Detail != "" {
		s += "(" + e.Detail + ")"
	}
	return s
}

func (e *Error) Unwrap() error {
	if e.parse {
		return ErrParse
	}
	return ErrLoad
}

// parseErr is an ElfParserError: most become FailedToParse, OutOfBounds becomes
// ValueOutOfBounds and InvalidProgramHeader stays itself (as Agave converts them).
func parseErr(kind, detail string) *Error {
	switch kind {
	case "OutOfBounds":
		return &Error{Kind: "ValueOutOfBounds", Detail: detail}
	case "InvalidProgramHeader":
		return &Error{Kind: kind, Detail: detail}
	}
	return &Error{Kind: kind, Detail: detail, parse: true}
}

func loadErr(kind string, format string, args ...any) *Error {
	return &Error{Kind: kind, Detail: fmt.Sprintf(format, args...)}
}

// Config is what the loader accepts.
type Config struct {
	MinVersion, MaxVersion sbpf.Version
	RejectBrokenELFs       bool
	OptimizeRodata         bool
	// Syscalls are the registered syscall keys: with RejectBrokenELFs a call to a
	// symbol that is not one of them is refused, and no internal function may hash to
	// one of them.
	Syscalls map[uint32]bool
}

// IsELF reports whether b starts with the ELF magic.
func IsELF(b []byte) bool { return bytes.HasPrefix(b, []byte("\x7fELF")) }

// ELF constants.
const (
	ehdrSize = 64
	phdrSize = 56
	shdrSize = 64
	symSize  = 24
	relSize  = 16
	dynSize  = 16

	emBPF  = 247
	emSBPF = 263
	etDyn  = 3

	ptLoad    = 1
	ptDynamic = 2
	pfX       = 1
	pfR       = 4

	shtNull    = 0
	shtSymtab  = 2
	shtStrtab  = 3
	shtDynamic = 6
	shtNobits  = 8
	shtDynsym  = 11
	shfWrite   = 1
	shfAlloc   = 2

	dtNull   = 0
	dtSymtab = 6
	dtRel    = 17
	dtRelsz  = 18
	dtRelent = 19
	dtNum    = 35

	sectionNameMax = 16
	symbolNameMax  = 64

	rX8664_64       = 1
	rX8664Relative  = 8
	rX8664_32       = 10
	stackStartVaddr = StackStart
)

type ehdr struct {
	ident                                                [16]byte
	typ, machine                                         uint16
	version                                              uint32
	entry, phoff, shoff                                  uint64
	flags                                                uint32
	ehsize, phentsize, phnum, shentsize, shnum, shstrndx uint16
}

type phdr struct {
	typ, flags                                  uint32
	offset, vaddr, paddr, filesz, memsz, palign uint64
}

type shdr struct {
	name, typ                 uint32
	flags, addr, offset, size uint64
	link, info                uint32
	addralign, entsize        uint64
}

type symbol struct {
	name        uint32
	info, other uint8
	shndx       uint16
	value, size uint64
}

type rel struct{ offset, info uint64 }

var le = binary.LittleEndian

func readEhdr(b []byte) ehdr {
	var h ehdr
	copy(h.ident[:], b)
	h.typ, h.machine, h.version = le.Uint16(b[16:]), le.Uint16(b[18:]), le.Uint32(b[20:])
	h.entry, h.phoff, h.shoff = le.Uint64(b[24:]), le.Uint64(b[32:]), le.Uint64(b[40:])
	h.flags = le.Uint32(b[48:])
	h.ehsize, h.phentsize, h.phnum = le.Uint16(b[52:]), le.Uint16(b[54:]), le.Uint16(b[56:])
	h.shentsize, h.shnum, h.shstrndx = le.Uint16(b[58:]), le.Uint16(b[60:]), le.Uint16(b[62:])
	return h
}

func readPhdr(b []byte) phdr {
	return phdr{typ: le.Uint32(b), flags: le.Uint32(b[4:]), offset: le.Uint64(b[8:]), vaddr: le.Uint64(b[16:]),
		paddr: le.Uint64(b[24:]), filesz: le.Uint64(b[32:]), memsz: le.Uint64(b[40:]), palign: le.Uint64(b[48:])}
}

func readShdr(b []byte) shdr {
	return shdr{name: le.Uint32(b), typ: le.Uint32(b[4:]), flags: le.Uint64(b[8:]), addr: le.Uint64(b[16:]),
		offset: le.Uint64(b[24:]), size: le.Uint64(b[32:]), link: le.Uint32(b[40:]), info: le.Uint32(b[44:]),
		addralign: le.Uint64(b[48:]), entsize: le.Uint64(b[56:])}
}

func readSym(b []byte) symbol {
	return symbol{name: le.Uint32(b), info: b[4], other: b[5], shndx: le.Uint16(b[6:]), value: le.Uint64(b[8:]),
		size: le.Uint64(b[16:])}
}

// span is a byte range [start, end) of the file.
type span struct{ start, end uint64 }

func (s span) overlaps(t span) bool { return !(s.end <= t.start || t.end <= s.start) }

// addChecked adds with overflow detection (Agave's err_checked_add on usize).
func addChecked(a, b uint64) (uint64, bool) {
	s := a + b
	return s, s >= a
}

func satAdd(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxUint64
}

func satSub(a, b uint64) uint64 {
	if a < b {
		return 0
	}
	return a - b
}

// fileRange is a section's bytes in the file; NOBITS sections have none.
func (s shdr) fileRange() span {
	if s.typ == shtNobits {
		return span{}
	}
	return span{s.offset, satAdd(s.offset, s.size)}
}

func (s shdr) vmContains(a uint64) bool { return a >= s.addr && a < satAdd(s.addr, s.size) }

// slice returns b[s], checking that it lies in b, that its length is a multiple of
// elem, and that it is aligned for elements of the given alignment (the file is
// treated as loaded at an aligned address, as Agave does).
func slice(b []byte, s span, elem, align uint64) ([]byte, *Error) {
	if s.end < s.start {
		return nil, parseErr("OutOfBounds", "range")
	}
	if (s.end-s.start)%elem != 0 {
		return nil, parseErr("InvalidSize", "")
	}
	if s.end > uint64(len(b)) {
		return nil, parseErr("OutOfBounds", fmt.Sprintf("0x%x..0x%x", s.start, s.end))
	}
	if s.start%align != 0 {
		return nil, parseErr("InvalidAlignment", "")
	}
	return b[s.start:s.end], nil
}

// Load parses, checks and relocates an sBPF ELF.
func Load(b []byte, cfg Config) (exe *Executable, err error) {
	defer func() {
		// The loader reads untrusted bytes; a bug must be a refusal, never a crash.
		if r := recover(); r != nil {
			exe, err = nil, &Error{Kind: "FailedToParse", Detail: fmt.Sprintf("internal error: %v", r), parse: true}
		}
	}()
	if len(b) < 52 {
		return nil, parseErr("OutOfBounds", "no e_flags")
	}
	flags := le.Uint32(b[48:])
	v := sbpf.Version(min(flags, 255))
	if flags > uint32(sbpf.MaxVersion) || v < cfg.MinVersion || v > cfg.MaxVersion {
		return nil, &Error{Kind: "UnsupportedSBPFVersion", Detail: fmt.Sprintf("e_flags %d", flags)}
	}
	var e *Executable
	var lerr *Error
	if v.StricterELFHeaders() {
		e, lerr = loadStrict(b)
	} else {
		e, lerr = loadLenient(b, cfg)
	}
	if lerr != nil {
		return nil, lerr
	}
	e.Version = v
	return e, nil
}

// loadStrict is the loader of v3 and later (SIMD-0189): two program headers, read-only
// data at 0 and bytecode at 1 << 32, no sections and no relocations.
func loadStrict(b []byte) (*Executable, *Error) {
	if len(b) < ehdrSize {
		return nil, parseErr("OutOfBounds", "file header")
	}
	h := readEhdr(b)
	phEnd := satAdd(ehdrSize, uint64(phdrSize)*uint64(h.phnum))
	if !bytes.Equal(h.ident[:4], []byte("\x7fELF")) || h.ident[4] != 2 || h.ident[5] != 1 || h.ident[6] != 1 ||
		h.ident[7] != 0 || h.ident[8] != 0 || !bytes.Equal(h.ident[9:], make([]byte, 7)) ||
		h.machine != emBPF || h.version != 1 || h.phoff != ehdrSize || h.ehsize != ehdrSize ||
		h.phentsize != phdrSize || h.phnum == 0 || phEnd > uint64(len(b)) {
		return nil, parseErr("InvalidFileHeader", "")
	}
	ph := make([]phdr, h.phnum)
	for i := range ph {
		ph[i] = readPhdr(b[ehdrSize+phdrSize*i:])
	}
	type want struct {
		flags uint32
		vaddr uint64
	}
	expected := []want{{pfR, RodataStart}, {pfX, ProgramStart}}
	skipRodata := ph[0].flags != pfR
	if skipRodata {
		expected = expected[1:]
	} else if h.phnum < 2 {
		return nil, parseErr("InvalidFileHeader", "one program header")
	}
	off := phEnd
	for i, w := range expected {
		if i >= len(ph) {
			break
		}
		p := ph[i]
		if p.typ != ptLoad || p.flags != w.flags || p.offset != off || p.offset >= uint64(len(b)) ||
			p.offset%sbpf.InsnSize != 0 || p.vaddr != w.vaddr || p.paddr != w.vaddr || p.filesz != p.memsz ||
			p.filesz > uint64(len(b))-p.offset || p.filesz%sbpf.InsnSize != 0 || p.memsz >= RegionSize {
			return nil, parseErr("InvalidProgramHeader", fmt.Sprintf("program header %d", i))
		}
		off = satAdd(off, p.filesz)
	}
	var ro span
	code := ph[0]
	if skipRodata {
		ro = span{phEnd, phEnd}
	} else {
		ro = span{ph[0].offset, ph[0].offset + ph[0].filesz}
		code = ph[1]
	}
	last := satSub(satAdd(h.entry, sbpf.InsnSize), 1)
	if last < code.vaddr || last >= satAdd(code.vaddr, code.memsz) || h.entry%sbpf.InsnSize != 0 {
		return nil, parseErr("InvalidFileHeader", "entry point")
	}
	text := b[code.offset : code.offset+code.filesz]
	return &Executable{Text: append([]byte{}, text...), TextVaddr: code.vaddr, Ro: append([]byte{}, b[ro.start:ro.end]...),
		RoVaddr: RodataStart, Entry: int((h.entry - code.vaddr) / sbpf.InsnSize), Functions: map[uint32]int{}}, nil
}
