package translate

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/vm"
	"github.com/ethereum/go-ethereum/eth/tracers/logger"
	"github.com/ethereum/go-ethereum/tests"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/plugins/evm/container"
	"github.com/oneiros-zk/oneiros/plugins/evm/runtime"
)

// TestTraceGeth prints go-ethereum's steps for the state test in $EVM_TRACE (a
// debugging aid for differential failures).
func TestTraceGeth(t *testing.T) {
	path := os.Getenv("EVM_TRACE")
	if path == "" {
		t.Skip("EVM_TRACE not set")
	}
	raw, _ := os.ReadFile(path)
	var sts map[string]*tests.StateTest
	if err := json.Unmarshal(raw, &sts); err != nil {
		t.Fatal(err)
	}
	tr := logger.NewJSONLogger(&logger.Config{}, os.Stdout)
	st, root, gas, err := sts["random"].RunNoVerify(tests.StateSubtest{Fork: "Cancun", Index: 0}, vm.Config{Tracer: tr}, false, rawdb.HashScheme)
	defer st.Close()
	t.Logf("root %x gas %d err %v", root, gas, err)
}

// TestTraceOurs prints the gas left at each segment's charge (the translation charges a
// straight-line segment at once; the interpreter every opcode) for $EVM_TRACE.
func TestTraceOurs(t *testing.T) {
	path := os.Getenv("EVM_TRACE")
	if path == "" {
		t.Skip("EVM_TRACE not set")
	}
	raw, _ := os.ReadFile(path)
	c := containerOf(t, raw)
	var bt0 *Translation
	var lines []string
	sink := func(r *trace.Record) error {
		if r.Inst.Op == isa.BGEU && int32(r.Inst.A) == runtime.GasSlot && r.Inst.ImmB() {
			lines = append(lines, fmt.Sprintf("clk %d pc %d fp %#x gas %d charge %d", r.Clk, r.PC, r.FP, r.A, r.B))
		}
		return nil
	}
	out, _, bt := runContainer(t, c, sink)
	bt0 = bt
	for _, l := range lines {
		fmt.Println(l)
	}
	var ops []string
	for _, tr := range bt0.Contracts {
		for k, s := range tr.Starts {
			ops = append(ops, fmt.Sprintf("%d:%s", s, container.Info(tr.Ops[k]).Name))
		}
	}
	fmt.Println(strings.Join(ops, " "))
	t.Logf("gas used %d status %s", out.GasUsed, out.Status)
}
