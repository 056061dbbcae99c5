// Command frontend-minimal is a well-behaved frontend plugin for a made-up
// ISA, "toy", used only by the tests and benchmarks of host/plugin and
// host/cli (built as oneiros-frontend-minimal). It proves nothing: its
// "normalized program" is its source text, its program_id a SHA-256, its
// trace records are filler.
//
// A toy program is text: a first line "TOY", then one instruction a line:
//
//	cycles N   run N cycles, one 16-byte record each
//	emit N     write N bytes of trace at once (N/16 cycles), for benchmarks
//	echo       copy the input to the public output
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

const recordSize = 16

type op struct {
	name string
	n    uint64
}

type toy struct {
	frontend.UnimplementedFrontend
	mu       sync.Mutex
	programs map[string][]op
}

func (t *toy) Describe(context.Context, frontend.DescribeRequest) (*frontend.Description, error) {
	return &frontend.Description{
		Name:         "minimal",
		Version:      "0.0.1-test",
		ISA:          "toy",
		Extensions:   []string{".toy"},
		Capabilities: []string{"test-only"},
		Examples: []frontend.Example{{
			Name:           "echo",
			FileName:       "echo.toy",
			Source:         []byte("TOY\ncycles 1000\necho\n"),
			Input:          []byte("hello, host"),
			ExpectedOutput: []byte("hello, host"),
		}},
	}, nil
}

func parse(src []byte) ([]op, error) {
	sc := bufio.NewScanner(bytes.NewReader(src))
	if !sc.Scan() || strings.TrimSpace(sc.Text()) != "TOY" {
		return nil, fmt.Errorf("the first line must be TOY")
	}
	var ops []op
	for line := 2; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 0:
		case len(f) == 1 && f[0] == "echo":
			ops = append(ops, op{name: "echo"})
		case len(f) == 2 && (f[0] == "cycles" || f[0] == "emit"):
			n, err := strconv.ParseUint(f[1], 10, 40)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", line, err)
			}
			ops = append(ops, op{name: f[0], n: n})
		default:
			return nil, fmt.Errorf("line %d: unknown instruction %q", line, sc.Text())
		}
	}
	return ops, sc.Err()
}

func (t *toy) Load(_ context.Context, req frontend.LoadRequest) (*frontend.Program, error) {
	ops, err := parse(req.Source)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", frontend.ErrInvalidInput, req.FileName, err)
	}
	norm := []byte(fmt.Sprint(ops))
	id := sha256.Sum256(norm)
	src := sha256.Sum256(req.Source)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.programs == nil {
		t.programs = map[string][]op{}
	}
	t.programs[string(id[:])] = ops
	return &frontend.Program{Handle: id[:], ProgramID: id[:], SourceDigest: src[:], Normalized: norm,
		Info: frontend.ProgramInfo{InstructionCount: uint64(len(ops)), SourceInstructionCount: uint64(len(ops))}}, nil
}

func (t *toy) Execute(ctx context.Context, req frontend.ExecuteRequest, w frontend.TraceWriter) (*frontend.Result, error) {
	t.mu.Lock()
	ops, ok := t.programs[string(req.Handle)]
	t.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("%w: no program loaded under this handle", frontend.ErrInvalidInput)
	}
	lim := req.Limits
	var cycles uint64
	var out []byte
	stop := func(reason string) *frontend.Result {
		return &frontend.Result{Status: frontend.StatusLimitExceeded, TrapReason: reason, PublicOutput: out, TotalCycles: cycles}
	}
	var rec [recordSize]byte
	block := make([]byte, 64<<10)
	for _, o := range ops {
		switch o.name {
		case "cycles":
			for range o.n {
				if lim.MaxCycles > 0 && cycles == lim.MaxCycles {
					return stop("max_cycles"), nil
				}
				binary.LittleEndian.PutUint64(rec[:], cycles)
				if _, err := w.Write(rec[:]); err != nil {
					return nil, err
				}
				cycles++
			}
		case "emit":
			for left := o.n; left > 0; {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				k := min(left, uint64(len(block)))
				if lim.MaxCycles > 0 && cycles+k/recordSize > lim.MaxCycles {
					return stop("max_cycles"), nil
				}
				if _, err := w.Write(block[:k]); err != nil {
					return nil, err
				}
				cycles += k / recordSize
				left -= k
			}
		case "echo":
			if lim.MaxOutputBytes > 0 && uint64(len(out)+len(req.Input)) > lim.MaxOutputBytes {
				return stop("max_output_bytes"), nil
			}
			out = append(out, req.Input...)
			cycles++
			rec = [recordSize]byte{0: 0xec}
			if _, err := w.Write(rec[:]); err != nil {
				return nil, err
			}
		}
		if err := w.Progress(cycles); err != nil {
			return nil, err
		}
	}
	return &frontend.Result{Status: frontend.StatusHalted, PublicOutput: out, TotalCycles: cycles}, nil
}

func main() { frontend.Serve(&toy{}) }
