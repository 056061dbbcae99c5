package loader_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/plugins/wasm/container"
	"github.com/oneiros-zk/oneiros/plugins/wasm/internal/wasmgen"
	"github.com/oneiros-zk/oneiros/plugins/wasm/loader"
)

// FuzzLoad: loading arbitrary bytes (modules and containers) never panics; what loads
// is a valid program that runs to a result (bounded) without an executor error.
func FuzzLoad(f *testing.F) {
	for _, p := range []string{"../examples/sum.wasm", "../examples/fib64.wasm", "../examples/divide.wasm", "../examples/c/sha256.wasm"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for seed := int64(1); seed <= 8; seed++ {
		m := wasmgen.New(seed, 3)
		f.Add(m.Bytes)
		c := &container.Container{Flags: container.FlagLenientFloat, Steps: []container.Step{
			{Kind: container.KindModule, Bytes: m.Bytes}, {Kind: container.KindInvoke, Module: 0, Name: "checksum"}}}
		f.Add(c.Encode())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				panic(fmt.Sprintf("Load of %d bytes takes more than 20s: %x", len(b), b))
			}
		}()
		l, err := loader.Load(b, loader.Options{StackBytes: 1 << 20})
		if err != nil {
			return
		}
		if err := l.Program.Validate(); err != nil {
			t.Fatalf("loaded an invalid program: %v", err)
		}
		if _, err := exec.Run(context.Background(), l.Program, exec.Options{Input: b,
			Limits: exec.Limits{MaxCycles: 1 << 16, MaxMemoryBytes: 64 << 20, MaxOutputBytes: 1 << 16}}); err != nil {
			t.Fatalf("run: %v", err)
		}
	})
}
