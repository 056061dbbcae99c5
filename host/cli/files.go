package cli

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/oneiros-zk/oneiros/sdk/envelope"
)

// Bounds on the files the commands read, so that a device or a huge file (/dev/zero)
// is refused with a clear error instead of filling memory. The input tape's bound is
// the configuration's limits.max_input_bytes.
const (
	maxProgramFile  = 256 << 20 // a program as given to a frontend (module, ELF, assembly, container)
	maxEnvelopeFile = 1 << 30   // a proof envelope (envelope.Decode bounds its parts further)
)

// readEnvelope reads a proof envelope's bytes: the first four must be envelope.Magic
// (so a device or another file is refused at once), and the whole file at most
// maxEnvelopeFile bytes.
func readEnvelope(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, len(envelope.Magic))
	if _, err := io.ReadFull(f, head); err != nil || string(head) != envelope.Magic {
		return nil, errNotEnvelope{path}
	}
	rest, err := io.ReadAll(io.LimitReader(f, maxEnvelopeFile-int64(len(head))+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(head)+len(rest)) > maxEnvelopeFile {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, int64(maxEnvelopeFile))
	}
	return append(head, rest...), nil
}

// openEnvelope reads and decodes the envelope at path, as verify and aggregate do: a
// file that does not start like an envelope or does not decode is a rejection (exit
// 1), one that cannot be read bad input (exit 2).
func openEnvelope(path string) (*envelope.Envelope, error) {
	b, err := readEnvelope(path)
	if errors.As(err, new(errNotEnvelope)) {
		return nil, Rejected(err)
	}
	if err != nil {
		return nil, BadInput(err)
	}
	env, err := envelope.Decode(b)
	if err != nil {
		return nil, Rejected(fmt.Errorf("%s: %w", path, err))
	}
	return env, nil
}

// errNotEnvelope: the file does not start like an envelope (the verdict of envelope.Decode
// on it, reached without reading the rest).
type errNotEnvelope struct{ path string }

func (e errNotEnvelope) Error() string {
	return e.path + ": envelope: not a OneirOS proof file (bad magic)"
}

// readFile reads at most limit bytes of the named file; a longer file is an error that
// names what it is (e.g. "--input") and the bound, without reading past it.
func readFile(what, path string, limit uint64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if uint64(len(b)) > limit {
		return nil, fmt.Errorf("%s: %s is larger than %d bytes", what, path, limit)
	}
	return b, nil
}
