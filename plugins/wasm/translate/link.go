package translate

// Linking: resolving imports and allocating an instance's entities.

import (
	"fmt"
	"strings"

	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
	"github.com/oneiros-zk/oneiros/plugins/wasm/runtime"
)

// Register makes inst's exports importable under name.
func (s *Store) Register(name string, inst *Instance) { s.registry[name] = inst.Exports }

// resolve finds an import's target.
func (s *Store) resolve(inst *Instance, im module.Import) (Extern, error) {
	if ex, ok := s.registry[im.Module]; ok {
		e, ok := ex[im.Name]
		if !ok {
			return Extern{}, linkErrorf("unknown import %s.%s", im.Module, im.Name)
		}
		return e, nil
	}
	switch im.Module {
	case "spectest":
		if s.spectest != nil {
			e, ok := s.spectest.Exports[im.Name]
			if !ok {
				return Extern{}, linkErrorf("unknown import %s.%s", im.Module, im.Name)
			}
			return e, nil
		}
	case runtime.HostModule, runtime.WASIModule:
		return s.hostImport(inst, im)
	}
	return Extern{}, linkErrorf("unknown import %s.%s: no module %q is registered (host modules: %s, %s)", im.Module, im.Name, im.Module, runtime.HostModule, runtime.WASIModule)
}

// Instantiate links a validated module into the store and allocates its entities. The
// instance's code is translated by Program; its initialization (segments, start) runs
// where the entry code instantiates it.
func (s *Store) Instantiate(m *module.Module, name string) (*Instance, error) {
	inst := &Instance{Module: m, Name: name, Exports: map[string]Extern{}, id: len(s.instances)}
	// Imports. The runtime module's functions are bound once the instance's memory exists.
	var pending []pendingImport
	for _, im := range m.Imports {
		if runtime.Serves(im) {
			pending = append(pending, pendingImport{index: len(inst.Funcs), im: im})
			inst.Funcs = append(inst.Funcs, nil)
			continue
		}
		if im.Module == runtime.MemoryModule && im.Kind == module.KindMemory && s.runtimeMem != nil {
			inst.Mems = append(inst.Mems, s.runtimeMem)
			continue
		}
		e, err := s.resolve(inst, im)
		if err != nil {
			return nil, err
		}
		switch im.Kind {
		case module.KindFunc:
			if e.Func == nil {
				return nil, linkErrorf("incompatible import type: %s.%s is not a function", im.Module, im.Name)
			}
			if want := m.Types[im.Type]; !want.Equal(e.Func.Type) {
				return nil, linkErrorf("incompatible import type: %s.%s has type %v, the module wants %v", im.Module, im.Name, e.Func.Type, want)
			}
			inst.Funcs = append(inst.Funcs, e.Func)
		case module.KindTable:
			t := e.Table
			if t == nil {
				return nil, linkErrorf("incompatible import type: %s.%s is not a table", im.Module, im.Name)
			}
			if t.Elem != im.Table.Elem {
				return nil, linkErrorf("incompatible import type: table %s.%s of %v, the module wants %v", im.Module, im.Name, t.Elem, im.Table.Elem)
			}
			if err := limitsMatch(im, t.Min, t.Cap, t.Max, t.HasMax); err != nil {
				return nil, err
			}
			if t.Min < im.Table.Limits.Min {
				inst.linkChecks = append(inst.linkChecks, linkCheck{table: t, minPages: im.Table.Limits.Min})
			}
			inst.Tables = append(inst.Tables, t)
		case module.KindMemory:
			mem := e.Memory
			if mem == nil {
				return nil, linkErrorf("incompatible import type: %s.%s is not a memory", im.Module, im.Name)
			}
			if err := limitsMatch(im, mem.Min, mem.Max, mem.Max, mem.declaredMax); err != nil {
				return nil, err
			}
			if mem.Min < im.Memory.Min {
				inst.linkChecks = append(inst.linkChecks, linkCheck{mem: mem, minPages: im.Memory.Min})
			}
			inst.Mems = append(inst.Mems, mem)
		case module.KindGlobal:
			g := e.Global
			if g == nil {
				return nil, linkErrorf("incompatible import type: %s.%s is not a global", im.Module, im.Name)
			}
			if g.Type != im.Global {
				return nil, linkErrorf("incompatible import type: global %s.%s is %v (mutable %v), the module wants %v (mutable %v)",
					im.Module, im.Name, g.Type.Type, g.Type.Mutable, im.Global.Type, im.Global.Mutable)
			}
			inst.Globals = append(inst.Globals, g)
		}
	}
	// Own entities.
	for i := range m.Funcs {
		f := s.newFunction(m.Types[m.Funcs[i].Type], fmt.Sprintf("%s.func[%d]", instName(inst), int(m.NumImportedFuncs)+i))
		f.inst, f.index = inst, i
		inst.Funcs = append(inst.Funcs, f)
	}
	for _, t := range m.Tables {
		tb, err := s.newTable(t)
		if err != nil {
			return nil, err
		}
		inst.Tables = append(inst.Tables, tb)
	}
	for _, l := range m.Memories {
		inst.Mems = append(inst.Mems, s.newMemory(l))
	}
	if err := s.bindRuntimeImports(inst, pending); err != nil {
		return nil, err
	}
	for _, g := range m.Globals {
		v := s.constValue(inst, g.Init)
		inst.Globals = append(inst.Globals, s.newGlobal(g.Type, v))
	}
	for _, e := range m.Exports {
		var x Extern
		switch e.Kind {
		case module.KindFunc:
			x.Func = inst.Funcs[e.Index]
			if f := x.Func; f.inst == inst && !strings.Contains(f.Name, `"`) {
				f.Name += fmt.Sprintf(" (export %q)", e.Name)
			}
		case module.KindTable:
			x.Table = inst.Tables[e.Index]
		case module.KindMemory:
			x.Memory = inst.Mems[e.Index]
		case module.KindGlobal:
			x.Global = inst.Globals[e.Index]
		}
		inst.Exports[e.Name] = x
	}
	for _, f := range m.Funcs {
		for _, in := range f.Body {
			if in.Op == module.OpTableGrow {
				s.tableGrow = true
			}
		}
	}
	s.segments(inst)
	s.instances = append(s.instances, inst)
	return inst, s.data.err
}

func instName(inst *Instance) string {
	if inst.Name != "" {
		return inst.Name
	}
	return fmt.Sprintf("module%d", inst.id)
}

// limitsMatch checks an imported memory's or table's declared limits against what the
// exporter can offer; the minimum is checked again at instantiation when the exporter
// may have grown to it.
func limitsMatch(im module.Import, min, canGrowTo, max uint32, hasMax bool) error {
	l := im.Memory
	if im.Kind == module.KindTable {
		l = im.Table.Limits
	}
	if l.Min > canGrowTo {
		return linkErrorf("incompatible import type: %s.%s has at most %d, the module wants at least %d", im.Module, im.Name, canGrowTo, l.Min)
	}
	if l.HasMax && (!hasMax || max > l.Max) {
		return linkErrorf("incompatible import type: %s.%s may grow past the module's maximum %d", im.Module, im.Name, l.Max)
	}
	return nil
}

// constValue evaluates a constant expression. Its validity was checked.
func (s *Store) constValue(inst *Instance, c module.ConstExpr) uint64 {
	switch c.Op {
	case module.OpI32Const, module.OpI64Const, module.OpF32Const, module.OpF64Const:
		return c.Value
	case module.OpRefNull:
		return 0
	case module.OpRefFunc:
		return uint64(s.descOf(inst.Funcs[c.Value]))
	case module.OpGlobalGet:
		return inst.Globals[c.Value].Init
	}
	return 0
}
