package isa_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/oneiros-zk/oneiros/core/isa"
)

// FuzzDecodeProgram: Decode never panics, and whatever it accepts is valid, canonical
// (re-encodes to the same bytes) and survives disassembly and reassembly.
func FuzzDecodeProgram(f *testing.F) {
	f.Add(sample(f).Encode())
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*.s"))
	for _, name := range files {
		src, _ := os.ReadFile(name)
		if p, err := isa.Assemble(name, src); err == nil {
			f.Add(p.Encode())
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := isa.Decode(b)
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("decoded program is invalid: %v", err)
		}
		if !bytes.Equal(p.Encode(), b) {
			t.Fatal("decoded program re-encodes differently")
		}
		_ = p.ID()
		roundTrip(t, p)
	})
}

// FuzzAssemble: Assemble never panics, and whatever it accepts is a valid program that
// encodes, decodes and disassembles back to itself.
func FuzzAssemble(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*.s"))
	for _, name := range files {
		src, _ := os.ReadFile(name)
		f.Add(src)
	}
	f.Add([]byte("x: add [fp+8], [fp-4], x+'a'*2\n.data 0\n.ascii \"\\x41\"\n.text\nhalt"))
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := isa.Assemble("fuzz.s", src)
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("assembled program is invalid: %v", err)
		}
		q, err := isa.Decode(p.Encode())
		if err != nil {
			t.Fatalf("assembled program does not decode: %v", err)
		}
		if !bytes.Equal(q.Encode(), p.Encode()) {
			t.Fatal("encoding round trip differs")
		}
		if dataSize(p) < 1<<14 { // .zero can make megabytes, slow to print
			roundTrip(t, p)
		}
	})
}

func dataSize(p *isa.Program) int {
	n := 0
	for _, s := range p.Data {
		n += len(s.Bytes)
	}
	return n
}
