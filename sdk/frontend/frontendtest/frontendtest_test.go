package frontendtest

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/oneiros-zk/oneiros/sdk/frontend"
	"github.com/oneiros-zk/oneiros/sdk/internal/pluginv1"
)

// toy is a frontend for a made-up ISA that proves nothing: a source is
// "TOY <cycles>", a run takes that many cycles, writes one 8-byte record per
// cycle and echoes its input as public output.
type toy struct {
	frontend.UnimplementedFrontend
	mu       sync.Mutex
	programs map[string]uint64
}

func (t *toy) Describe(context.Context, frontend.DescribeRequest) (*frontend.Description, error) {
	return &frontend.Description{Name: "toy", Version: "0.0.0", ISA: "toy", Extensions: []string{".toy"},
		Examples: []frontend.Example{{Name: "echo", FileName: "echo.toy", Source: []byte("TOY 300000"), Input: []byte("hi"), ExpectedOutput: []byte("hi")}}}, nil
}

func (t *toy) Load(_ context.Context, req frontend.LoadRequest) (*frontend.Program, error) {
	n, err := parse(req.Source)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", frontend.ErrInvalidInput, req.FileName, err)
	}
	norm := binary.LittleEndian.AppendUint64([]byte("TOYN"), n)
	id := sha256.Sum256(norm)
	src := sha256.Sum256(req.Source)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.programs == nil {
		t.programs = map[string]uint64{}
	}
	t.programs[string(id[:])] = n
	return &frontend.Program{Handle: id[:], ProgramID: id[:], SourceDigest: src[:], Normalized: norm}, nil
}

func parse(src []byte) (uint64, error) {
	s, ok := strings.CutPrefix(string(src), "TOY ")
	if !ok {
		return 0, fmt.Errorf("no TOY header")
	}
	return strconv.ParseUint(s, 10, 32)
}

func (t *toy) Execute(_ context.Context, req frontend.ExecuteRequest, w frontend.TraceWriter) (*frontend.Result, error) {
	t.mu.Lock()
	n, ok := t.programs[string(req.Handle)]
	t.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("%w: unknown handle", frontend.ErrInvalidInput)
	}
	var rec [8]byte
	for c := uint64(0); c < n; c++ {
		if req.Limits.MaxCycles > 0 && c == req.Limits.MaxCycles {
			return &frontend.Result{Status: frontend.StatusLimitExceeded, TrapReason: "max_cycles", TotalCycles: c}, nil
		}
		binary.LittleEndian.PutUint64(rec[:], c)
		if _, err := w.Write(rec[:]); err != nil {
			return nil, err
		}
		if c%100000 == 0 {
			if err := w.Progress(c); err != nil {
				return nil, err
			}
		}
	}
	if req.Limits.MaxOutputBytes > 0 && uint64(len(req.Input)) > req.Limits.MaxOutputBytes {
		return &frontend.Result{Status: frontend.StatusLimitExceeded, TrapReason: "max_output_bytes", TotalCycles: n}, nil
	}
	return &frontend.Result{Status: frontend.StatusHalted, PublicOutput: req.Input, TotalCycles: n}, nil
}

func TestToyConforms(t *testing.T) {
	TestInProcess(t, &toy{})
}

// Broken variants, each breaking one rule.

type acceptsGarbage struct{ toy }

func (a *acceptsGarbage) Load(ctx context.Context, req frontend.LoadRequest) (*frontend.Program, error) {
	if _, err := parse(req.Source); err != nil {
		return a.toy.Load(ctx, frontend.LoadRequest{Source: []byte("TOY 1")})
	}
	return a.toy.Load(ctx, req)
}

type wrongOutput struct{ toy }

func (w *wrongOutput) Execute(ctx context.Context, req frontend.ExecuteRequest, tw frontend.TraceWriter) (*frontend.Result, error) {
	res, err := w.toy.Execute(ctx, req, tw)
	if res != nil && res.Status == frontend.StatusHalted {
		res.PublicOutput = []byte("ho")
	}
	return res, err
}

type ignoresLimits struct{ toy }

func (l *ignoresLimits) Execute(ctx context.Context, req frontend.ExecuteRequest, tw frontend.TraceWriter) (*frontend.Result, error) {
	req.Limits = frontend.Limits{}
	return l.toy.Execute(ctx, req, tw)
}

type plainErrors struct{ toy }

func (p *plainErrors) Load(ctx context.Context, req frontend.LoadRequest) (*frontend.Program, error) {
	if _, err := parse(req.Source); err != nil {
		return nil, fmt.Errorf("cannot parse")
	}
	return p.toy.Load(ctx, req)
}

type badDescribe struct{ toy }

func (b *badDescribe) Describe(ctx context.Context, req frontend.DescribeRequest) (*frontend.Description, error) {
	d, _ := b.toy.Describe(ctx, req)
	d.Name, d.Version, d.Extensions = "Toy ISA", "", []string{"toy"}
	d.Examples = append(d.Examples, d.Examples[0])
	return d, nil
}

type crashesOnGarbage struct{ toy }

func (c *crashesOnGarbage) Load(ctx context.Context, req frontend.LoadRequest) (*frontend.Program, error) {
	if len(req.Source) == 0 {
		panic("index out of range")
	}
	return c.toy.Load(ctx, req)
}

func TestKitFindsEveryFailure(t *testing.T) {
	tests := []struct {
		name string
		impl frontend.Frontend
		want []string
	}{
		{"accepts garbage", &acceptsGarbage{}, []string{
			"Load(empty source): accepted 0 bytes of nonsense",
			"Load(garbage source): accepted 4096 bytes of nonsense",
		}},
		{"wrong output", &wrongOutput{}, []string{`example "echo": public output "ho", want "hi"`}},
		{"ignores limits", &ignoresLimits{}, []string{
			`example "echo" with max_cycles: Execute: protocol violation: run took 300000 cycles, more than max_cycles 150000`,
			`example "echo" with max_output_bytes: Execute: protocol violation: public output of 2 bytes exceeds max_output_bytes 1`,
		}},
		{"plain errors", &plainErrors{}, []string{`Load(empty source): refused with "cannot parse", which does not wrap ErrInvalidInput`}},
		{"bad describe", &badDescribe{}, []string{
			`Describe: name "Toy ISA" is not a short lowercase name`,
			"Describe: empty version",
			`Describe: extension "toy" is not of the form .ext`,
			`Describe: two examples are named "echo"`,
		}},
		{"panics", &crashesOnGarbage{}, []string{"Load(empty source): refused with \"plugin panicked in Load: index out of range\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := pluginv1.DispenseInProcess(t, frontend.PluginName, &frontend.Plugin{Impl: tt.impl}).(*frontend.Client)
			var all strings.Builder
			for _, e := range Run(context.Background(), c) {
				fmt.Fprintln(&all, e)
			}
			for _, w := range tt.want {
				if !strings.Contains(all.String(), w) {
					t.Errorf("no failure mentions %q; got:\n%s", w, all.String())
				}
			}
		})
	}
}
