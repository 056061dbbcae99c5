package main

import (
	"context"
	"os"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/plugins/svm/compile"
	"github.com/oneiros-zk/oneiros/plugins/svm/lower"
	"github.com/oneiros-zk/oneiros/plugins/svm/output"
)

// cycleSplit runs a program and splits its cycles by the part of the code they ran in.
//
// parts[3] is the number of sBPF instructions run: the metered cost of the blocks
// entered (the exit record's units also count the syscalls' own costs).
func cycleSplit(t testing.TB, res *compile.Result, input []byte) (parts [4]uint64, units uint64) {
	t.Helper()
	r, err := exec.Run(context.Background(), res.Program, exec.Options{Input: input, Limits: exec.Limits{MaxCycles: 1 << 28},
		Sink: func(rec *trace.Record) error {
			parts[res.Info.Classify(rec.PC)]++
			parts[3] += uint64(res.Info.Meters[rec.PC])
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := output.Decode(r.Output, false)
	if err != nil {
		t.Fatal(err)
	}
	return parts, out.Exit.Units
}

// TestCyclesPerInstruction reports the normalized cycles each sBPF instruction costs
// in the example programs: the cycles of the translated instructions (metering, ALU,
// memory checks, calls, divisions) over the sBPF instructions executed, apart from the
// input copy, the exit record and the syscalls.
func TestCyclesPerInstruction(t *testing.T) {
	var sum, insns uint64
	for _, ex := range []struct{ so, in string }{
		{"counter.so", "counter.in"}, {"counter_v0.so", "counter.in"}, {"transfer.so", "transfer.in"}, {"hash.so", "hash.in"},
	} {
		src, err := os.ReadFile("examples/" + ex.so)
		if err != nil {
			t.Fatal(err)
		}
		input, err := os.ReadFile("examples/" + ex.in)
		if err != nil {
			t.Fatal(err)
		}
		res, err := compile.Compile(src)
		if err != nil {
			t.Fatal(err)
		}
		parts, units := cycleSplit(t, res, input)
		n := parts[3]
		t.Logf("%-14s %5d sBPF instructions: %6d cycles in them (%.2f each), %6d in syscalls, %6d runtime (input copy, output); %d units",
			ex.so, n, parts[lower.PartSBPF], float64(parts[lower.PartSBPF])/float64(n), parts[lower.PartSyscall], parts[lower.PartRuntime], units)
		sum += parts[lower.PartSBPF]
		insns += n
	}
	t.Logf("all examples: %.2f normalized cycles per sBPF instruction", float64(sum)/float64(insns))
}

// TestProfile prints where the cycles of the transfer example go, by sBPF opcode.
func TestProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("a report")
	}
	src, _ := os.ReadFile("examples/transfer.so")
	input, _ := os.ReadFile("examples/transfer.in")
	res, err := compile.Compile(src)
	if err != nil {
		t.Fatal(err)
	}
	byOp := map[byte][2]uint64{}
	ins := res.Executable.Text
	_, err = exec.Run(context.Background(), res.Program, exec.Options{Input: input, Sink: func(rec *trace.Record) error {
		if int(rec.PC) < len(res.Info.Origin) && res.Info.Origin[rec.PC] >= 0 {
			pc := res.Info.Origin[rec.PC]
			op := ins[8*pc]
			v := byOp[op]
			v[0]++
			byOp[op] = v
		}
		if n := res.Info.Meters[rec.PC]; n > 0 {
			v := byOp[0]
			v[0] += 2
			v[1] += uint64(n)
			byOp[0] = v
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	for op, v := range byOp {
		t.Logf("op 0x%02x: %d cycles (meter: %d instructions)", op, v[0], v[1])
	}
}
