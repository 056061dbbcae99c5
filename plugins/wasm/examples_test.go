package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/plugins/wasm/internal/spectest"
	"github.com/oneiros-zk/oneiros/plugins/wasm/loader"
)

// program is a real program with an input and the output it must produce.
type program struct {
	name   string
	file   string
	input  []byte
	output []byte
}

func sortInput(n int) (in, out []byte) {
	r := rand.New(rand.NewSource(1))
	v := make([]uint32, n)
	for i := range v {
		v[i] = r.Uint32()
	}
	for _, x := range v {
		in = binary.LittleEndian.AppendUint32(in, x)
	}
	sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
	for _, x := range v {
		out = binary.LittleEndian.AppendUint32(out, x)
	}
	return in, out
}

const helloBF = "++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------.--------.>>+.>++."

// rot13BF reads its input and writes it rot13-ed (a program from the Brainfuck archive).
const rot13BF = `-,+[-[>>++++[>++++++++<-]<+<-[>+>+>-[>>>]<[[>+<-]>>+>]<<<<<-]]>>>[-]+>--[-[<->+++[-]]]<[++++++++++++<[>-[>+>>]>[+[<+>-]>+>>]<<<<<-]>>[<+>-]>[-[-<<[-]>>]<<[<<->>-]>>]<<[<<+>>-]]<[-]<.[-]<-,+]`

func programs() []program {
	sin, sout := sortInput(200)
	msg := bytes.Repeat([]byte("OneirOS proves WebAssembly. "), 20)
	digest := sha256.Sum256(msg)
	return []program{
		{"sha256", "examples/c/sha256.wasm", msg, digest[:]},
		{"sort", "examples/c/sort.wasm", sin, sout},
		{"bf-hello", "examples/c/bf.wasm", []byte(helloBF + "!"), []byte("Hello World!\n")},
		{"bf-rot13", "examples/c/bf.wasm", []byte(rot13BF + "!Uryyb, jbeyq"), []byte("Hello, world")},
		{"rust-wc", "examples/rust/wc.wasm", []byte("hello world\nthis is OneirOS\n"), []byte("2 5 28\n")},
		{"fib64", "examples/fib64.wasm", []byte{90, 0, 0, 0}, []byte{0x78, 0x78, 0xba, 0xa1, 0xda, 0x0d, 0xf8, 0x27}},
		{"sum", "examples/sum.wasm", []byte{1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0}, []byte{6, 0, 0, 0}},
	}
}

// TestPrograms runs the real programs on the reference executor, checks their output,
// and reports the normalized cycles per WebAssembly instruction.
func TestPrograms(t *testing.T) {
	for _, p := range programs() {
		t.Run(p.name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.FromSlash(p.file))
			if err != nil {
				t.Fatal(err)
			}
			l, err := loader.Load(src, loader.Options{Profile: true})
			if err != nil {
				t.Fatal(err)
			}
			counts := make([]uint64, len(l.Program.Code))
			res, err := exec.Run(context.Background(), l.Program, exec.Options{Input: p.input,
				Limits: exec.Limits{MaxCycles: 1 << 28},
				Sink:   func(r *trace.Record) error { counts[r.PC]++; return nil }})
			if err != nil {
				t.Fatal(err)
			}
			if res.ExitStatus != isa.StatusHalted || res.ExitCode != 0 {
				t.Fatalf("run ended %v code %d: %v", res.ExitStatus, res.ExitCode, res.Trap)
			}
			if !bytes.Equal(res.Output, p.output) {
				t.Fatalf("output %q, want %q", res.Output, p.output)
			}
			cyc, n := spectest.Measure(l.Program, counts)
			t.Logf("%-9s %8d cycles, %8d in WebAssembly code for %8d WebAssembly instructions: %.2f cycles/instruction",
				p.name, res.Cycles, cyc, n, float64(cyc)/float64(n))
		})
	}
}
