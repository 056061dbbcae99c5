package translate

import (
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
	"github.com/oneiros-zk/oneiros/plugins/wasm/runtime"
)

// The runtime module (package runtime) serves WASI and the host module's read and
// write: it is instantiated once per memory that a module importing from it uses, and
// translated with the program.

// runtimeFor returns the runtime instance serving memory mem (nil: an empty memory).
func (s *Store) runtimeFor(mem *Memory) (*Instance, error) {
	if r, ok := s.runtimes[mem]; ok {
		return r, nil
	}
	m, err := runtime.Module()
	if err != nil {
		return nil, err
	}
	if mem == nil {
		mem = s.newMemory(module.Limits{Min: 0, Max: 0, HasMax: true})
	}
	s.runtimeMem = mem
	inst, err := s.Instantiate(m, "oneiros:runtime")
	s.runtimeMem = nil
	if err != nil {
		return nil, err
	}
	s.runtimes[mem] = inst
	return inst, nil
}

// bindRuntimeImports fills the function imports the runtime serves, once inst's
// memory exists.
func (s *Store) bindRuntimeImports(inst *Instance, pending []pendingImport) error {
	if len(pending) == 0 {
		return nil
	}
	var mem *Memory
	if len(inst.Mems) > 0 {
		mem = inst.Mems[0]
	}
	rt, err := s.runtimeFor(mem)
	if err != nil {
		return err
	}
	m := inst.Module
	for _, p := range pending {
		im := p.im
		want := m.Types[im.Type]
		f := rt.Exports[im.Name].Func
		if f == nil && im.Module == runtime.WASIModule {
			// A WASI function the runtime does not have: it answers ENOSYS.
			f = s.hostFunc(runtime.WASIModule+"."+im.Name+want.String(), hostNoSys, want)
		}
		if f == nil || im.Module == runtime.HostModule && !runtime.HostBulk(im.Name) {
			return linkErrorf("unknown import %s.%s", im.Module, im.Name)
		}
		if !want.Equal(f.Type) {
			return linkErrorf("incompatible import type: %s.%s has type %v, the module wants %v", im.Module, im.Name, f.Type, want)
		}
		inst.Funcs[p.index] = f
	}
	return nil
}

type pendingImport struct {
	index int // in the instance's function index space
	im    module.Import
}
