package loader

import (
	"errors"
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/wasm/container"
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
	"github.com/oneiros-zk/oneiros/plugins/wasm/translate"
)

// Result is a loaded program.
type Result struct {
	Program *isa.Program
	// Instructions is the number of WebAssembly instructions in the function bodies.
	Instructions uint64
	// Entry names the function a plain module's run calls ("" when none).
	Entry string
}

// Options tune loading.
type Options struct {
	StackBytes uint32 // call stack size (0: translate.DefaultStackBytes)
	Profile    bool   // add the profile table (also set by a container's flag)
}

// Entry points of a plain module, in order of preference: the first exported function
// of type [] → [] or [] → [i32] among these names is called after instantiation (an
// i32 result becomes the exit code).
var Entries = []string{"_start", "main"}

// Load loads a binary module or an invocation container.
func Load(src []byte, opts Options) (*Result, error) {
	if container.Is(src) {
		c, err := container.Decode(src)
		if err != nil {
			return nil, err
		}
		return loadContainer(c, opts)
	}
	return loadModule(src, opts)
}

// decode decodes and validates a module.
func decode(b []byte) (*module.Module, error) {
	m, err := module.Decode(b)
	if err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

func count(m *module.Module) uint64 {
	var n uint64
	for _, f := range m.Funcs {
		n += uint64(len(f.Body))
	}
	return n
}

func loadModule(src []byte, opts Options) (*Result, error) {
	m, err := decode(src)
	if err != nil {
		return nil, err
	}
	st := translate.NewStore(translate.Options{StackBytes: opts.StackBytes, Profile: opts.Profile})
	inst, err := st.Instantiate(m, "main")
	if err != nil {
		return nil, err
	}
	var entry *translate.Function
	name := ""
	for _, n := range Entries {
		if e, ok := inst.Exports[n]; ok && e.Func != nil {
			t := e.Func.Type
			if len(t.Params) == 0 && (len(t.Results) == 0 || len(t.Results) == 1 && t.Results[0] == module.I32) {
				entry, name = e.Func, n
				break
			}
		}
	}
	p, err := st.ProgramMain(inst, entry)
	if err != nil {
		return nil, err
	}
	return &Result{Program: p, Instructions: count(m), Entry: name}, nil
}

// rejectReason classifies a module step's load error.
func rejectReason(err error) uint32 {
	switch {
	case errors.Is(err, module.ErrMalformed):
		return translate.RejectMalformed
	case errors.Is(err, module.ErrInvalid):
		return translate.RejectInvalid
	case errors.Is(err, translate.ErrLink):
		return translate.RejectUnlinkable
	}
	return translate.RejectUnsupported
}

// RejectAction is the reject reason of an invoke or get step that names no usable export.
const RejectAction = 5

func loadContainer(c *container.Container, opts Options) (*Result, error) {
	st := translate.NewStore(translate.Options{
		StackBytes:   opts.StackBytes,
		Profile:      opts.Profile || c.Flags&container.FlagProfile != 0,
		LenientFloat: c.Flags&container.FlagLenientFloat != 0,
		Spectest:     true,
		Container:    true,
	})
	var steps []translate.Step
	var modules []*translate.Instance
	var latest *translate.Instance
	var n uint64
	reject := func(reason uint32) {
		steps = append(steps, translate.Step{Kind: translate.StepReject, Reason: reason})
	}
	resolve := func(i int32) *translate.Instance {
		if i < 0 {
			return latest
		}
		return modules[i]
	}
	for _, s := range c.Steps {
		switch s.Kind {
		case container.KindModule:
			m, err := decode(s.Bytes)
			var inst *translate.Instance
			if err == nil {
				inst, err = st.Instantiate(m, s.Name)
			}
			modules = append(modules, inst)
			if err != nil {
				reject(rejectReason(err))
				continue
			}
			n += count(m)
			latest = inst
			steps = append(steps, translate.Step{Kind: translate.StepInstantiate, Instance: inst})
		case container.KindRegister:
			if inst := resolve(s.Module); inst != nil {
				st.Register(s.Name, inst)
			}
		case container.KindInvoke:
			inst := resolve(s.Module)
			if inst == nil {
				reject(RejectAction)
				continue
			}
			ex, ok := inst.Exports[s.Name]
			if !ok || ex.Func == nil || !argsMatch(ex.Func.Type, s.Args) {
				reject(RejectAction)
				continue
			}
			args := make([]uint64, len(s.Args))
			for i, a := range s.Args {
				args[i] = a.Bits
			}
			steps = append(steps, translate.Step{Kind: translate.StepInvoke, Func: ex.Func, Args: args})
		case container.KindGet:
			inst := resolve(s.Module)
			if inst == nil {
				reject(RejectAction)
				continue
			}
			ex, ok := inst.Exports[s.Name]
			if !ok || ex.Global == nil {
				reject(RejectAction)
				continue
			}
			steps = append(steps, translate.Step{Kind: translate.StepGet, Global: ex.Global})
		}
	}
	p, err := st.ProgramSteps(steps)
	if err != nil {
		return nil, fmt.Errorf("translating the container: %w", err)
	}
	return &Result{Program: p, Instructions: n}, nil
}

func argsMatch(t module.FuncType, args []container.Value) bool {
	if len(args) != len(t.Params) {
		return false
	}
	for i, a := range args {
		if module.ValType(a.Type) != t.Params[i] {
			return false
		}
	}
	return true
}
