package translate

import (
	_ "embed"
	"sync"

	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
)

// The runtime module (runtime/runtime.wat) implements WASI preview 1's subset and the
// host module's read and write in WebAssembly; it is instantiated once per memory that
// a module importing it uses, and translated with the program.
//
//go:embed runtime/runtime.wasm
var runtimeWasm []byte

var (
	runtimeOnce sync.Once
	runtimeMod  *module.Module
	runtimeErr  error
)

func runtimeModule() (*module.Module, error) {
	runtimeOnce.Do(func() {
		runtimeMod, runtimeErr = module.Decode(runtimeWasm)
		if runtimeErr == nil {
			runtimeErr = runtimeMod.Validate()
		}
	})
	return runtimeMod, runtimeErr
}

// runtimeMemoryModule is the import module name through which the runtime module gets
// the memory of the module it serves.
const runtimeMemoryModule = "oneiros:runtime"

// errnoNoSys is WASI's ENOSYS, returned by the WASI functions the runtime lacks.
const errnoNoSys = 52

// isRuntimeImport reports whether the runtime module serves the import (resolved once
// the importing instance's memory exists).
func isRuntimeImport(im module.Import) bool {
	if im.Kind != module.KindFunc {
		return false
	}
	if im.Module == WASIModule {
		return true
	}
	_, intrinsic := intrinsics[im.Name]
	return im.Module == HostModule && !intrinsic
}

// runtimeFor returns the runtime instance serving memory mem (nil: an empty memory).
func (s *Store) runtimeFor(mem *Memory) (*Instance, error) {
	if r, ok := s.runtimes[mem]; ok {
		return r, nil
	}
	m, err := runtimeModule()
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
		if f == nil && im.Module == WASIModule {
			// A WASI function the runtime does not have: it answers ENOSYS.
			f = s.hostFunc(WASIModule+"."+im.Name+want.String(), hostNoSys, want)
		}
		if f == nil || im.Module == HostModule && im.Name != "read" && im.Name != "write" {
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
