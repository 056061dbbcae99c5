package translate

import (
	"context"
	"fmt"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/plugins/evm/container"
	"github.com/oneiros-zk/oneiros/plugins/evm/output"
)

// limits are the defaults' execution limits.
var limits = exec.Limits{MaxCycles: 1 << 30, MaxMemoryBytes: 1 << 32, MaxOutputBytes: 1 << 24}

// runContainer translates and runs a container on the reference executor; sink, when
// set, receives the records.
func runContainer(tb testing.TB, c *container.Container, sink func(*trace.Record) error) (*output.Outcome, *exec.Result, *Translation) {
	return runMode(tb, c, sink, false)
}

// runMode is runContainer, on the interpreter alone when interpret is set.
func runMode(tb testing.TB, c *container.Container, sink func(*trace.Record) error, interpret bool) (*output.Outcome, *exec.Result, *Translation) {
	tb.Helper()
	bt, err := build(c, interpret)
	if err != nil {
		tb.Fatalf("build: %v", err)
	}
	res, err := exec.Run(context.Background(), bt.Program, exec.Options{Limits: limits, Sink: sink})
	if err != nil {
		tb.Fatalf("run: %v", err)
	}
	if res.ExitStatus != isa.StatusHalted {
		tb.Fatalf("the run ended with %v: %v", res.ExitStatus, res.Trap)
	}
	out, err := output.Decode(res.Output)
	if err != nil {
		tb.Fatalf("output: %v", err)
	}
	return out, res, bt
}

func mustParse(tb testing.TB, src string) *container.Container {
	tb.Helper()
	c, err := container.Parse([]byte(src))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func hexOf(b []byte) string { return fmt.Sprintf("0x%x", b) }
