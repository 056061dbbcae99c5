package loader_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/oneiros-zk/oneiros/plugins/wasm/internal/wasmgen"
)

// TestTables runs table instructions, element segments and references (not in the
// integer spec-test groups) against wazero.
func TestTables(t *testing.T) {
	bin, err := os.ReadFile("../testdata/tables.wasm")
	if err != nil {
		t.Fatal(err)
	}
	i32 := byte(wasmgen.I32)
	sig := func(np int, nr int) wasmgen.Func {
		f := wasmgen.Func{}
		for i := 0; i < np; i++ {
			f.Params = append(f.Params, i32)
		}
		for i := 0; i < nr; i++ {
			f.Results = append(f.Results, i32)
		}
		return f
	}
	c := func(fn string, nr int, args ...uint64) call { return call{fn: fn, args: args, f: sig(len(args), nr)} }
	var seq []call
	probe := func() {
		seq = append(seq, c("size", 1))
		for i := uint64(0); i < 13; i++ {
			seq = append(seq, c("is_null", 1, i), c("call", 1, i))
		}
	}
	probe()
	seq = append(seq, c("init", 0, 0, 0, 4), c("init", 0, 1, 2, 2), c("init", 0, 3, 2, 3), c("init", 0, 4, 0, 1), c("init", 0, 4, 4, 0), c("init", 0, 5, 4, 0))
	probe()
	seq = append(seq, c("grow", 1, 2), c("grow_null", 1, 1), c("grow", 1, 100), c("grow", 1, 0xFFFFFFFF), c("size", 1))
	probe()
	seq = append(seq, c("copy", 0, 4, 0, 3), c("copy", 0, 0, 1, 5), c("copy", 0, 2, 0, 5), c("copy", 0, 6, 5, 2), c("copy", 0, 7, 0, 1), c("copy", 0, 0, 0, 100))
	probe()
	seq = append(seq, c("fill", 0, 5, 2), c("fill", 0, 6, 2), c("fill", 0, 7, 0), c("fill", 0, 8, 0), c("set", 0, 1), c("set", 0, 7), c("set", 0, 9))
	probe()
	seq = append(seq, c("drop", 0), c("init", 0, 0, 0, 1), c("init", 0, 0, 0, 0), c("ext_size", 1), c("ext_set", 0, 1), c("ext_set", 0, 3),
		c("ext_null", 1, 0), c("ext_null", 1, 3), c("select_ref", 1, 0), c("select_ref", 1, 1))
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter().WithCoreFeatures(api.CoreFeaturesV2))
	defer rt.Close(ctx)
	want, err := runWazero(ctx, rt, bin, seq)
	if err != nil {
		t.Fatal(err)
	}
	got, err := runOurs(bin, seq)
	if err != nil {
		t.Fatal(err)
	}
	traps := 0
	for i := range seq {
		w, g := want[i], got[i]
		if w.trapped {
			traps++
		}
		ok := w.trapped == g.trapped && (!w.trapped || w.trap == 0 || w.trap == g.trap) &&
			(w.trapped || fmt.Sprint(w.results) == fmt.Sprint(g.results))
		if !ok {
			t.Errorf("call %d %s%v: wazero %v, translation %v", i, seq[i].fn, seq[i].args, w, g)
		}
	}
	t.Logf("%d calls agree (%d traps)", len(seq), traps)
}
