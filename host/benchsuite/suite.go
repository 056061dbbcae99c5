// Package benchsuite is `oneiros bench run`: a fixed, versioned suite of workloads (the
// engine's kernels at a few sizes, and end-to-end proofs of real programs through the
// plugins), a fingerprint of the machine, results as JSON, comparisons of results, and
// an HTML report with plots.
//
// A suite's rows have stable identifiers ("kernel/merkle/2^16x32/hemera",
// "prove/mix-2^18"); results of the same suite version compare row by row. A change to
// a suite's workloads bumps Version.
package benchsuite

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
)

// Version is the suite definitions' version; results of different versions compare
// with a warning naming the rows that differ.
const Version = 1

// Suite is a named set of workloads.
type Suite struct {
	Name    string
	Kernels []KernelCase
	Proves  []ProveCase
}

// KernelCase measures every kernel on a trace of 2^LogN rows and Cols columns.
type KernelCase struct {
	LogN, Cols, Reps int
}

// ProveCase proves a program through the plugins.
type ProveCase struct {
	ID            string // row identifier: "prove/" + ID
	ISA           string // frontend
	Program       string // path from the repository root
	Input         []byte // the input tape (nil: none)
	InputFile     string // or a file holding it, from the repository root
	Profile       string // standard or continuations
	SegmentCycles uint64 // 0: the configuration's
	Reps          int
}

func mixInput(iterations uint32) []byte { return binary.LittleEndian.AppendUint32(nil, iterations) }

var suites = map[string]Suite{
	"quick": {
		Name:    "quick",
		Kernels: []KernelCase{{LogN: 14, Cols: 16, Reps: 3}},
		Proves: []ProveCase{
			{ID: "sort", ISA: "asm", Program: "examples/sort.s", InputFile: "examples/sort.in", Profile: "standard", Reps: 2},
			{ID: "mix-2^14", ISA: "asm", Program: "examples/mix.s", Input: mixInput(1480), Profile: "standard", Reps: 2},
		},
	},
	"standard": {
		Name:    "standard",
		Kernels: []KernelCase{{LogN: 16, Cols: 32, Reps: 3}, {LogN: 18, Cols: 32, Reps: 3}},
		Proves: []ProveCase{
			{ID: "sort", ISA: "asm", Program: "examples/sort.s", InputFile: "examples/sort.in", Profile: "standard", Reps: 3},
			{ID: "mix-2^18", ISA: "asm", Program: "examples/mix.s", Input: mixInput(23830), Profile: "standard", Reps: 1},
			{ID: "wasm-sha256", ISA: "wasm", Program: "plugins/wasm/examples/c/sha256.wasm", Input: []byte("abc"), Profile: "standard", Reps: 1},
			{ID: "svm-transfer", ISA: "svm", Program: "plugins/svm/examples/transfer.so", InputFile: "plugins/svm/examples/transfer.in", Profile: "standard", Reps: 1},
			{ID: "evm-erc20", ISA: "evm", Program: "examples/evm/token_transfer.json", Profile: "standard", Reps: 1},
			{ID: "mix-2^18-continuations", ISA: "asm", Program: "examples/mix.s", Input: mixInput(23830), Profile: "continuations", SegmentCycles: 1 << 16, Reps: 1},
		},
	},
	"full": {
		Name:    "full",
		Kernels: []KernelCase{{LogN: 18, Cols: 64, Reps: 3}, {LogN: 20, Cols: 64, Reps: 3}},
		Proves: []ProveCase{
			{ID: "sort", ISA: "asm", Program: "examples/sort.s", InputFile: "examples/sort.in", Profile: "standard", Reps: 3},
			{ID: "mix-2^18", ISA: "asm", Program: "examples/mix.s", Input: mixInput(23830), Profile: "standard", Reps: 3},
			{ID: "mix-2^20", ISA: "asm", Program: "examples/mix.s", Input: mixInput(95320), Profile: "standard", Reps: 1},
			{ID: "wasm-sha256", ISA: "wasm", Program: "plugins/wasm/examples/c/sha256.wasm", Input: []byte("abc"), Profile: "standard", Reps: 3},
			{ID: "svm-transfer", ISA: "svm", Program: "plugins/svm/examples/transfer.so", InputFile: "plugins/svm/examples/transfer.in", Profile: "standard", Reps: 3},
			{ID: "evm-erc20", ISA: "evm", Program: "examples/evm/token_transfer.json", Profile: "standard", Reps: 3},
			{ID: "mix-2^22-continuations", ISA: "asm", Program: "examples/mix.s", Input: mixInput(381300), Profile: "continuations", Reps: 1},
		},
	},
}

// Names lists the suites.
func Names() []string {
	n := make([]string, 0, len(suites))
	for k := range suites {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// Lookup returns the named suite.
func Lookup(name string) (*Suite, error) {
	s, ok := suites[name]
	if !ok {
		return nil, fmt.Errorf("unknown suite %q (valid: %s)", name, strings.Join(Names(), ", "))
	}
	return &s, nil
}
