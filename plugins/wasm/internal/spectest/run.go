package spectest

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/plugins/wasm/internal/suite"
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
	"github.com/oneiros-zk/oneiros/plugins/wasm/translate"
)

// Result counts one file's cases.
type Result struct {
	Passed, Failed, Skipped int
	Failures                []string
	Cycles                  uint64
	WasmCycles, WasmInstrs  uint64 // cycles of WebAssembly code, WebAssembly instructions executed
}

// Measure reads the profile table of prog and returns the cycles spent in WebAssembly
// code and the WebAssembly instructions executed, given each pc's execution count.
func Measure(prog *isa.Program, counts []uint64) (cycles, instrs uint64) {
	img := map[uint32]uint32{}
	for _, s := range prog.Data {
		for i := 0; i+4 <= len(s.Bytes); i += 4 {
			img[s.Addr+uint32(i)] = binary.LittleEndian.Uint32(s.Bytes[i:])
		}
	}
	if img[translate.ProfileAddr] != translate.ProfileMagic {
		return 0, 0
	}
	a := img[translate.ProfileAddr+4]
	next := func() uint32 { v := img[a]; a += 4; return v }
	over := make([]bool, len(counts))
	for r := next(); r > 0; r-- {
		s, e := next(), next()
		for pc := s; pc < e && int(pc) < len(over); pc++ {
			over[pc] = true
		}
	}
	for pc, n := range counts {
		if !over[pc] {
			cycles += n
		}
	}
	for n := next(); n > 0; n-- {
		pc, k := next(), next()
		if int(pc) < len(counts) {
			instrs += counts[pc] * uint64(k)
		}
	}
	return cycles, instrs
}

type expect struct {
	cmd   suite.Command
	kind  string // "return", "trap", "instantiate-trap", "unlinkable", "module", "action"
	float bool
}

// Run replays one file.
func Run(f suite.File) (*Result, error) {
	res := &Result{}
	st := translate.NewStore(translate.Options{LenientFloat: true, Spectest: true, Container: true, Profile: true})
	var steps []translate.Step
	var expects []expect
	var cur *translate.Instance
	named := map[string]*translate.Instance{}
	fail := func(c suite.Command, format string, args ...any) {
		res.Failed++
		res.Failures = append(res.Failures, fmt.Sprintf("%s:%d %s: %s", f.Name, c.Line, c.Type, fmt.Sprintf(format, args...)))
	}
	load := func(c suite.Command) (*module.Module, error) {
		b, err := os.ReadFile(filepath.Join(f.Dir, c.Filename))
		if err != nil {
			return nil, err
		}
		m, err := module.Decode(b)
		if err != nil {
			return nil, err
		}
		return m, m.Validate()
	}
	for _, c := range f.Commands {
		isFloat := f.Float[c.Line]
		if isFloat && c.Type != "module" && c.Type != "action" && c.Type != "register" {
			// Float-flagged cases are skipped, never passed (a float-less VM); their
			// modules are still instantiated for the state they leave.
			res.Skipped++
			continue
		}
		switch c.Type {
		case "module":
			m, err := load(c)
			var inst *translate.Instance
			if err == nil {
				inst, err = st.Instantiate(m, c.Name)
			}
			if err != nil {
				steps = append(steps, translate.Step{Kind: translate.StepReject, Reason: translate.RejectInvalid})
				expects = append(expects, expect{cmd: c, kind: "module"})
				cur = nil
				continue
			}
			steps = append(steps, translate.Step{Kind: translate.StepInstantiate, Instance: inst})
			expects = append(expects, expect{cmd: c, kind: "module"})
			cur = inst
			if c.Name != "" {
				named[c.Name] = inst
			}
		case "register":
			inst := cur
			if c.Name != "" {
				inst = named[c.Name]
			}
			if inst != nil {
				st.Register(c.As, inst)
			}
		case "assert_malformed", "assert_invalid":
			if c.ModuleType == "text" {
				continue
			}
			if _, err := load(c); err == nil {
				fail(c, "loaded without error (want %s)", c.Text)
			} else {
				res.Passed++
			}
		case "assert_unlinkable", "assert_uninstantiable":
			m, err := load(c)
			if err != nil {
				if c.Type == "assert_unlinkable" {
					res.Passed++
				} else {
					fail(c, "%v", err)
				}
				continue
			}
			inst, err := st.Instantiate(m, "")
			if err != nil {
				if c.Type == "assert_unlinkable" && errors.Is(err, translate.ErrLink) {
					res.Passed++
				} else {
					fail(c, "%v", err)
				}
				continue
			}
			steps = append(steps, translate.Step{Kind: translate.StepInstantiate, Instance: inst})
			k := "unlinkable"
			if c.Type == "assert_uninstantiable" {
				k = "instantiate-trap"
			}
			expects = append(expects, expect{cmd: c, kind: k})
		case "action", "assert_return", "assert_trap", "assert_exhaustion":
			inst := cur
			if c.Action.Module != "" {
				inst = named[c.Action.Module]
			}
			if inst == nil {
				fail(c, "no module")
				continue
			}
			ex, ok := inst.Exports[c.Action.Field]
			kind := map[string]string{"action": "action", "assert_return": "return", "assert_trap": "trap", "assert_exhaustion": "trap"}[c.Type]
			switch {
			case c.Action.Type == "get" && ok && ex.Global != nil:
				steps = append(steps, translate.Step{Kind: translate.StepGet, Global: ex.Global})
			case c.Action.Type == "invoke" && ok && ex.Func != nil:
				args := make([]uint64, len(c.Action.Args))
				for i, a := range c.Action.Args {
					v, err := parseValue(a)
					if err != nil {
						return nil, fmt.Errorf("%s:%d: %w", f.Name, c.Line, err)
					}
					args[i] = v
				}
				steps = append(steps, translate.Step{Kind: translate.StepInvoke, Func: ex.Func, Args: args})
			default:
				fail(c, "no export %q", c.Action.Field)
				continue
			}
			expects = append(expects, expect{cmd: c, kind: kind, float: isFloat})
		}
	}
	prog, err := st.ProgramSteps(steps)
	if err != nil {
		for _, e := range expects {
			if e.kind != "module" && e.kind != "action" && !e.float {
				fail(e.cmd, "translation: %v", err)
			}
		}
		return res, nil
	}
	counts := make([]uint64, len(prog.Code))
	r, err := exec.Run(context.Background(), prog, exec.Options{Limits: exec.Limits{MaxCycles: 1 << 31, MaxMemoryBytes: 1 << 31},
		Sink: func(rec *trace.Record) error { counts[rec.PC]++; return nil }})
	if err != nil {
		return nil, err
	}
	res.Cycles = r.Cycles
	res.WasmCycles, res.WasmInstrs = Measure(prog, counts)
	out := r.Output
	word := func() (uint32, bool) {
		if len(out) < 4 {
			return 0, false
		}
		v := binary.LittleEndian.Uint32(out)
		out = out[4:]
		return v, true
	}
	for _, e := range expects {
		tag, ok := word()
		if !ok {
			if e.kind != "module" && e.kind != "action" {
				fail(e.cmd, "no outcome (run ended: %v)", r.Trap)
			}
			continue
		}
		kind, payload := tag&0xFF, tag>>8
		var ws []uint32
		if kind == translate.OutcomeReturned {
			for i := uint32(0); i < payload; i++ {
				v, _ := word()
				ws = append(ws, v)
			}
		}
		switch e.kind {
		case "module", "action":
			if kind != translate.OutcomeReturned {
				// A harness error: the cases depending on it fail on their own.
			}
		case "unlinkable":
			if kind == translate.OutcomeRejected {
				res.Passed++
			} else {
				fail(e.cmd, "instantiated (outcome %#x)", tag)
			}
		case "instantiate-trap":
			if kind == translate.OutcomeTrapped {
				res.Passed++
			} else {
				fail(e.cmd, "outcome %#x, want a trap", tag)
			}
		case "trap":
			if kind == translate.OutcomeTrapped {
				res.Passed++
			} else {
				fail(e.cmd, "outcome %#x %v, want a trap (%s)", tag, ws, e.cmd.Text)
			}
		case "return":
			if kind != translate.OutcomeReturned {
				fail(e.cmd, "outcome %#x (%s), want a return", tag, translate.TrapCode(payload))
				continue
			}
			want, err := expectedWords(e.cmd.Expected)
			if err != nil {
				fail(e.cmd, "%v", err)
				continue
			}
			if !equalWords(ws, want, e.cmd.Expected) {
				fail(e.cmd, "%s(%v) returned %v, want %v", e.cmd.Action.Field, argStrings(e.cmd.Action.Args), ws, want)
				continue
			}
			res.Passed++
		}
	}
	return res, nil
}

func argStrings(a []suite.Value) []string {
	var s []string
	for _, v := range a {
		s = append(s, fmt.Sprint(v.Type, ":", v.Value))
	}
	return s
}

func parseValue(v suite.Value) (uint64, error) {
	s, _ := v.Value.(string)
	switch v.Type {
	case "externref", "funcref":
		if s == "null" {
			return 0, nil
		}
		n, err := strconv.ParseUint(s, 10, 32)
		return n + 1, err
	}
	return strconv.ParseUint(s, 10, 64)
}

func expectedWords(vs []suite.Value) ([]uint32, error) {
	var ws []uint32
	for _, v := range vs {
		s, _ := v.Value.(string)
		var n uint64
		if len(s) >= 4 && s[:4] == "nan:" {
			n = 0
		} else {
			var err error
			if n, err = parseValue(v); err != nil {
				return nil, err
			}
		}
		ws = append(ws, uint32(n))
		if v.Type == "i64" || v.Type == "f64" {
			ws = append(ws, uint32(n>>32))
		}
	}
	return ws, nil
}

func equalWords(got, want []uint32, exp []suite.Value) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}
