package runtime

import (
	_ "embed"
	"sync"

	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
)

// The runtime module (runtime.wat) implements WASI preview 1's subset and the host
// module's read and write in WebAssembly.
//
//go:embed runtime.wasm
var runtimeWasm []byte

var (
	once   sync.Once
	mod    *module.Module
	modErr error
)

// Module returns the runtime module, decoded and validated once. Its function imports
// are the intrinsics; its one memory import is [MemoryModule].memory, the memory of
// the module it serves.
func Module() (*module.Module, error) {
	once.Do(func() {
		mod, modErr = module.Decode(runtimeWasm)
		if modErr == nil {
			modErr = mod.Validate()
		}
	})
	return mod, modErr
}

// MemoryModule is the import module name through which the runtime module gets the
// memory of the module it serves.
const MemoryModule = "oneiros:runtime"

// ErrnoNoSys is WASI's ENOSYS, returned by the WASI functions the runtime module lacks.
const ErrnoNoSys = 52

// Serves reports whether the runtime module serves an import: a function of WASI, or
// of the host module other than an intrinsic. Whether it has that function, and with
// the type asked for, is known once the import is bound.
func Serves(im module.Import) bool {
	if im.Kind != module.KindFunc {
		return false
	}
	if im.Module == WASIModule {
		return true
	}
	_, _, intrinsic := LookupIntrinsic(im.Name)
	return im.Module == HostModule && !intrinsic
}

// HostBulk reports whether name is one of the host module's functions that the runtime
// module implements (read and write).
func HostBulk(name string) bool { return name == "read" || name == "write" }
