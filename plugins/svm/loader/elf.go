package loader

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
)

// Errors of the loader: ErrParse for a file the ELF parser refuses, ErrLoad for a
// well-formed file the loader refuses.
var (
	ErrParse = errors.New("elf parse")
	ErrLoad  = errors.New("elf load")
)

// Config is what the loader accepts.
type Config struct {
	MinVersion, MaxVersion sbpf.Version
	RejectBrokenELFs       bool
	OptimizeRodata         bool
	// Syscalls are the registered syscall keys: relocations to other symbols fail when
	// RejectBrokenELFs is set, and no internal function may hash to one of them.
	Syscalls map[uint32]bool
}

// IsELF reports whether b starts with the ELF magic.
func IsELF(b []byte) bool { return bytes.HasPrefix(b, []byte("\x7fELF")) }

// Load parses, checks and relocates an sBPF ELF.
func Load(b []byte, cfg Config) (*Executable, error) {
	return nil, fmt.Errorf("%w: not implemented", ErrLoad)
}
