package runtime

import (
	"testing"

	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
)

// The runtime module decodes and validates, imports only intrinsics and the served
// memory, and exports the host module's bulk functions and WASI's.
func TestModule(t *testing.T) {
	m, err := Module()
	if err != nil {
		t.Fatal(err)
	}
	for _, im := range m.Imports {
		switch {
		case im.Kind == module.KindMemory && im.Module == MemoryModule:
		case im.Kind == module.KindFunc && im.Module == HostModule:
			in, ty, ok := LookupIntrinsic(im.Name)
			if !ok || in == 0 {
				t.Errorf("import %s.%s is not an intrinsic", im.Module, im.Name)
			} else if !ty.Equal(m.Types[im.Type]) {
				t.Errorf("import %s.%s has type %v, the intrinsic %v", im.Module, im.Name, m.Types[im.Type], ty)
			}
		default:
			t.Errorf("unexpected import %s.%s", im.Module, im.Name)
		}
	}
	exports := map[string]bool{}
	for _, e := range m.Exports {
		exports[e.Name] = true
	}
	for _, name := range []string{"read", "write", "fd_read", "fd_write", "proc_exit"} {
		if !exports[name] {
			t.Errorf("the runtime module does not export %s", name)
		}
	}
}

func TestServes(t *testing.T) {
	for _, c := range []struct {
		im   module.Import
		want bool
	}{
		{module.Import{Module: WASIModule, Name: "fd_write", Kind: module.KindFunc}, true},
		{module.Import{Module: WASIModule, Name: "path_open", Kind: module.KindFunc}, true}, // ENOSYS
		{module.Import{Module: HostModule, Name: "read", Kind: module.KindFunc}, true},
		{module.Import{Module: HostModule, Name: "read_word", Kind: module.KindFunc}, false}, // an intrinsic
		{module.Import{Module: HostModule, Name: "memory", Kind: module.KindMemory}, false},
		{module.Import{Module: "env", Name: "f", Kind: module.KindFunc}, false},
	} {
		if got := Serves(c.im); got != c.want {
			t.Errorf("Serves(%s.%s) = %v, want %v", c.im.Module, c.im.Name, got, c.want)
		}
	}
}
