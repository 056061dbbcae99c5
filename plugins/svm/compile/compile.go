package compile

import (
	"errors"
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/svm/container"
	"github.com/oneiros-zk/oneiros/plugins/svm/loader"
	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
	"github.com/oneiros-zk/oneiros/plugins/svm/translate"
)

// The stages of a refusal.
var (
	ErrFormat    = errors.New("format")
	ErrELFParse  = errors.New("elf_parse")
	ErrLoad      = errors.New("load")
	ErrVerify    = errors.New("verify")
	ErrTranslate = errors.New("translate")
)

// Result is a compiled program.
type Result struct {
	Program    *isa.Program
	Info       *translate.Info
	Version    sbpf.Version
	Executable *loader.Executable
	Options    translate.Options
}

// DefaultHeap is the heap of a plain Solana program (32 KiB).
const DefaultHeap = 32 * 1024

// Compile loads, verifies and translates a source: a container, or an ELF run as a
// Solana program (input region from the private input, Solana syscalls, default budget
// and heap, accounts in the output).
func Compile(src []byte) (*Result, error) {
	var c *container.Container
	switch {
	case container.Is(src):
		var err error
		if c, err = container.Decode(src); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrFormat, err)
		}
	case loader.IsELF(src):
		c = &container.Container{ELF: src}
	default:
		return nil, fmt.Errorf("%w: neither an ELF file nor an svm container (%d bytes)", ErrFormat, len(src))
	}
	return FromContainer(c)
}

// FromContainer compiles a decoded container.
func FromContainer(c *container.Container) (*Result, error) {
	var exe *loader.Executable
	syscalls, err := registry(c)
	if err != nil {
		return nil, err
	}
	if c.ELF != nil {
		cfg := loader.Config{MinVersion: sbpf.V0, MaxVersion: sbpf.MaxVersion, RejectBrokenELFs: c.RejectBrokenELFs,
			OptimizeRodata: c.OptimizeRodata || !c.HasVersions, Syscalls: map[uint32]bool{}}
		if c.HasVersions {
			cfg.MinVersion, cfg.MaxVersion = sbpf.Version(c.MinVersion), sbpf.Version(c.MaxVersion)
		}
		for k := range syscalls {
			cfg.Syscalls[k] = true
		}
		exe, err = loader.Load(c.ELF, cfg)
		if err != nil {
			if errors.Is(err, loader.ErrParse) {
				return nil, fmt.Errorf("%w: %w", ErrELFParse, err)
			}
			return nil, fmt.Errorf("%w: %w", ErrLoad, err)
		}
	} else {
		if exe, err = loader.FromText(c.Text, sbpf.Version(c.TextVersion)); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrLoad, err)
		}
	}
	for _, f := range c.Functions {
		exe.Functions[f.Key] = int(f.PC)
	}
	if err := sbpf.Verify(exe.Text, exe.Version); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrVerify, err)
	}
	opt := translate.Options{Budget: c.Budget, Syscalls: syscalls, Regs: c.Regs, DumpRegisters: c.DumpRegisters,
		Boundaries: c.Boundaries}
	if c.Input != nil {
		opt.Input, opt.InputWritable = c.Input, c.InputWritable
	} else {
		opt.InputFromTape, opt.InputWritable = true, true
		opt.Accounts = c.ELF != nil && c.Regs == nil
	}
	switch {
	case c.HasHeap:
		opt.HeapSize = c.Heap
	case c.Syscalls == nil:
		opt.HeapSize = DefaultHeap
	}
	p, info, err := translate.Build(exe, opt)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTranslate, err)
	}
	return &Result{Program: p, Info: info, Version: exe.Version, Executable: exe, Options: opt}, nil
}

// registry maps call immediates to syscall implementations: the container's list, or
// the Solana syscalls by name.
func registry(c *container.Container) (map[uint32]translate.Syscall, error) {
	m := map[uint32]translate.Syscall{}
	if c.Syscalls == nil {
		for name, sc := range translate.SyscallNames {
			m[sbpf.SymbolHash(name)] = sc
		}
		return m, nil
	}
	for _, s := range c.Syscalls {
		if s.Impl == 0 || s.Impl > uint8(translate.SysGetReturnData) {
			return nil, fmt.Errorf("%w: syscall %q: unknown implementation %d", ErrFormat, s.Name, s.Impl)
		}
		m[sbpf.SymbolHash(s.Name)] = translate.Syscall(s.Impl)
	}
	return m, nil
}
