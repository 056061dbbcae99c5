package loader_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/plugins/wasm/container"
	"github.com/oneiros-zk/oneiros/plugins/wasm/internal/wasmgen"
	"github.com/oneiros-zk/oneiros/plugins/wasm/loader"
	"github.com/oneiros-zk/oneiros/plugins/wasm/translate"
)

// outcome of one call: results, or a trap code.
type outcome struct {
	trap    translate.TrapCode
	trapped bool
	results []uint64
}

func (o outcome) String() string {
	if o.trapped {
		return fmt.Sprintf("trap(%s)", o.trap)
	}
	return fmt.Sprint(o.results)
}

// wazeroTrap maps wazero's trap messages to our codes; 0 means "a trap of a kind both
// may name differently" (table access: undefined or null element).
func wazeroTrap(err error) (translate.TrapCode, bool) {
	m := err.Error()
	switch {
	case strings.Contains(m, "integer divide by zero"):
		return translate.TrapDivZero, true
	case strings.Contains(m, "integer overflow"):
		return translate.TrapOverflow, true
	case strings.Contains(m, "out of bounds memory access"):
		return translate.TrapOutOfBounds, true
	case strings.Contains(m, "unreachable"):
		return translate.TrapUnreachable, true
	case strings.Contains(m, "indirect call type mismatch"):
		return translate.TrapIndirectMismatch, true
	case strings.Contains(m, "invalid table access"):
		return 0, true
	}
	return 0, false
}

type call struct {
	fn   string
	args []uint64
	f    wasmgen.Func
}

// TestDifferentialWazero runs random modules (package wasmgen) on wazero's interpreter
// and on the translation (reference executor) and compares every call's results or
// trap kind, and the memory and globals (through the modules' checksum function)
// after each call.
func TestDifferentialWazero(t *testing.T) {
	n := 400
	if testing.Short() {
		n = 60
	}
	if v, err := strconv.Atoi(os.Getenv("WASM_DIFF_N")); err == nil {
		n = v // longer runs: WASM_DIFF_N=20000 go test -run Differential ./loader
	}
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter().WithCoreFeatures(api.CoreFeaturesV2))
	defer rt.Close(ctx)
	var calls, traps int
	kinds := map[translate.TrapCode]int{}
	for seed := int64(1); seed <= int64(n); seed++ {
		m := wasmgen.New(seed, 2+int(seed%7))
		r := rand.New(rand.NewSource(seed))
		var seq []call
		for k := 0; k < 3; k++ {
			for i, f := range m.Funcs {
				seq = append(seq, call{fn: fmt.Sprintf("f%d", i), args: wasmgen.Args(r, f), f: f})
				seq = append(seq, call{fn: "checksum", f: wasmgen.Func{Results: []byte{wasmgen.I32}}})
			}
		}
		want, err := runWazero(ctx, rt, m.Bytes, seq)
		if err != nil {
			t.Fatalf("seed %d: wazero: %v", seed, err)
		}
		got, err := runOurs(m.Bytes, seq)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		for i := range seq {
			calls++
			w, g := want[i], got[i]
			if w.trapped {
				traps++
				kinds[w.trap]++
			}
			same := w.trapped == g.trapped
			if same && w.trapped && w.trap != 0 && w.trap != g.trap {
				same = false
			}
			if same && w.trapped && w.trap == 0 && g.trap != translate.TrapUndefinedElement && g.trap != translate.TrapUninitialized {
				same = false
			}
			if same && !w.trapped {
				same = fmt.Sprint(w.results) == fmt.Sprint(g.results)
			}
			if !same {
				t.Fatalf("seed %d: call %d %s%v: wazero %v, translation %v", seed, i, seq[i].fn, seq[i].args, w, g)
			}
		}
	}
	t.Logf("%d modules, %d calls (%d traps: %v) agree", n, calls, traps, kinds)
}

func runWazero(ctx context.Context, rt wazero.Runtime, bin []byte, seq []call) ([]outcome, error) {
	mod, err := rt.Instantiate(ctx, bin)
	if err != nil {
		return nil, err
	}
	defer mod.Close(ctx)
	var out []outcome
	for _, c := range seq {
		res, err := mod.ExportedFunction(c.fn).Call(ctx, c.args...)
		if err != nil {
			code, ok := wazeroTrap(err)
			if !ok {
				return nil, fmt.Errorf("%s: %v", c.fn, err)
			}
			out = append(out, outcome{trapped: true, trap: code})
			continue
		}
		for i, t := range c.f.Results {
			if t == wasmgen.I32 {
				res[i] &= 0xFFFFFFFF
			}
		}
		out = append(out, outcome{results: res})
	}
	return out, nil
}

func runOurs(bin []byte, seq []call) ([]outcome, error) {
	c := &container.Container{Steps: []container.Step{{Kind: container.KindModule, Bytes: bin}}}
	for _, s := range seq {
		st := container.Step{Kind: container.KindInvoke, Module: 0, Name: s.fn}
		for i, a := range s.args {
			st.Args = append(st.Args, container.Value{Type: s.f.Params[i], Bits: a})
		}
		c.Steps = append(c.Steps, st)
	}
	l, err := loader.Load(c.Encode(), loader.Options{})
	if err != nil {
		return nil, err
	}
	res, err := exec.Run(context.Background(), l.Program, exec.Options{Limits: exec.Limits{MaxCycles: 1 << 30, MaxMemoryBytes: 1 << 30}})
	if err != nil {
		return nil, err
	}
	if res.Trap != nil {
		return nil, fmt.Errorf("the container's run ended: %v", res.Trap)
	}
	out := res.Output
	word := func() uint32 {
		if len(out) < 4 {
			return 0xFFFFFFFF
		}
		v := binary.LittleEndian.Uint32(out)
		out = out[4:]
		return v
	}
	if tag := word(); tag != translate.OutcomeReturned {
		return nil, fmt.Errorf("instantiation: outcome %#x", tag)
	}
	var outs []outcome
	for _, s := range seq {
		tag := word()
		switch tag & 0xFF {
		case translate.OutcomeReturned:
			var rs []uint64
			for _, t := range s.f.Results {
				v := uint64(word())
				if t == wasmgen.I64 {
					v |= uint64(word()) << 32
				}
				rs = append(rs, v)
			}
			outs = append(outs, outcome{results: rs})
		case translate.OutcomeTrapped:
			outs = append(outs, outcome{trapped: true, trap: translate.TrapCode(tag >> 8)})
		default:
			return nil, fmt.Errorf("%s: outcome %#x", s.fn, tag)
		}
	}
	return outs, nil
}
