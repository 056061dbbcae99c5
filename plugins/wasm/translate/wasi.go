package translate

import "github.com/oneiros-zk/oneiros/plugins/wasm/module"

// runtimeImport resolves imports served by the runtime module (WASI and the host
// module's bulk functions).
func (s *Store) runtimeImport(inst *Instance, im module.Import) (Extern, error) {
	return Extern{}, linkErrorf("unknown import %s.%s", im.Module, im.Name)
}
