package stark_test

import (
	"context"
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// TestProveContextCancelled: a prover whose context is done stops with the context's
// cause instead of finishing the proof (a host that was interrupted, a plugin call that
// was cancelled); with a live context the same witness proves.
func TestProveContextCancelled(t *testing.T) {
	fib := starktest.Fib(6)
	e, err := hemera.New(testParams)
	if err != nil {
		t.Fatal(err)
	}
	pk, vk, err := e.Setup([]*air.AIR{fib.AIR}, [][][]field.Elem{nil})
	if err != nil {
		t.Fatal(err)
	}
	w := &stark.Witness{Main: [][][]field.Elem{fib.Main}, Publics: [][]field.Elem{fib.Publics}}
	stop := errors.New("interrupted")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(stop)
	if _, err := e.ProveContext(ctx, pk, w); !errors.Is(err, stop) {
		t.Fatalf("a cancelled prove: %v, want the context's cause", err)
	}
	p, err := e.ProveContext(context.Background(), pk, w)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Verify(vk, p, w.Publics, nil); err != nil {
		t.Fatal(err)
	}
}
