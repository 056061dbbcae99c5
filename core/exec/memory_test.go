package exec_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
)

// dataWords returns the data accesses (slots 3 and 4) of a record.
func dataWords(r *trace.Record) []trace.Access {
	var out []trace.Access
	for _, a := range r.Accesses {
		if s := a.Slot(); s == trace.SlotData || s == trace.SlotData+1 {
			out = append(out, a)
		}
	}
	return out
}

func TestLoads(t *testing.T) {
	// Bytes 0x10.. at 0x1000 and across the page boundary at 0x2000, and at the top
	// of the address space.
	img := make([]byte, 16)
	for i := range img {
		img[i] = byte(0x80 + i) // high bit set, to see sign extension
	}
	cases := []struct {
		op    isa.Opcode
		addr  uint32
		want  uint32
		words []uint32 // aligned words touched
	}{
		{isa.LW, 0x1000, 0x83828180, []uint32{0x1000}},
		{isa.LW, 0x1001, 0x84838281, []uint32{0x1000, 0x1004}},
		{isa.LW, 0x1003, 0x86858483, []uint32{0x1000, 0x1004}},
		{isa.LH, 0x1000, 0xffff8180, []uint32{0x1000}},
		{isa.LH, 0x1002, 0xffff8382, []uint32{0x1000}},
		{isa.LH, 0x1003, 0xffff8483, []uint32{0x1000, 0x1004}},
		{isa.LHU, 0x1003, 0x8483, []uint32{0x1000, 0x1004}},
		{isa.LB, 0x1005, 0xffffff85, []uint32{0x1004}},
		{isa.LBU, 0x1005, 0x85, []uint32{0x1004}},
		{isa.LW, 0x1ffe, 0x81800000, []uint32{0x1ffc, 0x2000}}, // across a page: 0x1ffe..0x2001
		{isa.LH, 0x1fff, 0xffff8000, []uint32{0x1ffc, 0x2000}},
		{isa.LW, 0xfffffffe, 0x0000_0000, []uint32{0xfffffffc, 0}}, // wraps around 2^32
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s/%#x", tc.op, tc.addr), func(t *testing.T) {
			b := isa.NewBuilder()
			b.SetFP(0x100)
			b.Data(0x1000, img)
			b.Data(0x2000, img)
			b.Words(0x104, tc.addr-8)
			b.Load(tc.op, 12, isa.Slot(4), 8) // [12] = mem[[4] + 8]
			b.Halt(isa.Slot(12))
			p, err := b.Program()
			if err != nil {
				t.Fatal(err)
			}
			res, recs := run(t, p, exec.Options{})
			wantHalt(t, res, tc.want)
			r := recs[0]
			words := dataWords(r)
			if len(words) != len(tc.words) {
				t.Fatalf("touched %v, want words %#x", words, tc.words)
			}
			for i, w := range words {
				if w.Addr != tc.words[i] || w.Kind != trace.Read {
					t.Errorf("data access %d: %v, want read of %#x", i, w, tc.words[i])
				}
			}
			last := r.Accesses[len(r.Accesses)-1]
			if last.Slot() != trace.SlotLoadA || last.Addr != 0x10c || last.After != tc.want || last.Kind != trace.Write {
				t.Errorf("destination access %v, want write of %#x to 0x10c in slot %d", last, tc.want, trace.SlotLoadA)
			}
		})
	}
}

func TestStores(t *testing.T) {
	cases := []struct {
		op      isa.Opcode
		addr    uint32
		touched int               // words the store touches
		words   map[uint32]uint32 // expected words afterwards (image: 0xaaaaaaaa at 0x1000..0x1010, 0x1ff8..0x2008)
	}{
		{isa.SW, 0x1000, 1, map[uint32]uint32{0x1000: 0x44332211, 0x1004: 0xaaaaaaaa}},
		{isa.SW, 0x1001, 2, map[uint32]uint32{0x1000: 0x332211aa, 0x1004: 0xaaaaaa44}},
		{isa.SW, 0x1003, 2, map[uint32]uint32{0x1000: 0x11aaaaaa, 0x1004: 0xaa443322}},
		{isa.SH, 0x1002, 1, map[uint32]uint32{0x1000: 0x2211aaaa, 0x1004: 0xaaaaaaaa}},
		{isa.SH, 0x1003, 2, map[uint32]uint32{0x1000: 0x11aaaaaa, 0x1004: 0xaaaaaa22}},
		{isa.SB, 0x1006, 1, map[uint32]uint32{0x1004: 0xaa11aaaa}},
		{isa.SW, 0x1ffe, 2, map[uint32]uint32{0x1ffc: 0x2211aaaa, 0x2000: 0xaaaa4433}},
		{isa.SW, 0x4ffe, 2, map[uint32]uint32{0x4ffc: 0x22110000, 0x5000: 0x00004433}}, // two fresh pages
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s/%#x", tc.op, tc.addr), func(t *testing.T) {
			b := isa.NewBuilder()
			b.SetFP(0x100)
			fill := func(addr uint32, n int) {
				for i := range n {
					b.Words(addr+4*uint32(i), 0xaaaaaaaa)
				}
			}
			fill(0x1000, 4)
			fill(0x1ff8, 4)
			b.Words(0x104, tc.addr, 0x44332211)
			b.Store(tc.op, 8, isa.Slot(4), 0) // mem[[4]] = [8]
			// Read back each expected word into [12] and write it out.
			order := slices.Sorted(maps.Keys(tc.words))
			for _, addr := range order {
				b.Load(isa.LW, 12, isa.Imm(addr), 0)
				b.Ecall(isa.SysWrite, 12, isa.Imm(4))
			}
			b.Halt(isa.Imm(0))
			p, err := b.Program()
			if err != nil {
				t.Fatal(err)
			}
			res, recs := run(t, p, exec.Options{})
			wantHalt(t, res, 0)
			for i, addr := range order {
				got := uint32(res.Output[4*i]) | uint32(res.Output[4*i+1])<<8 | uint32(res.Output[4*i+2])<<16 | uint32(res.Output[4*i+3])<<24
				if got != tc.words[addr] {
					t.Errorf("word %#x = %#x, want %#x", addr, got, tc.words[addr])
				}
			}
			words := dataWords(recs[0])
			if len(words) != tc.touched {
				t.Fatalf("store touched %v, want %d words", words, tc.touched)
			}
			for _, w := range words {
				if w.Kind != trace.Write || w.After != tc.words[w.Addr] {
					t.Errorf("store access %v, want a write leaving %#x", w, tc.words[w.Addr])
				}
			}
		})
	}
}

func TestMemoryPages(t *testing.T) {
	// The image takes pages 1 and 2; the run touches page 5 by a read and page 6 by
	// an unaligned word load that spills over from page 5.
	p := assemble(t, `.fp 0x1000
		lw [0], 0x5ffe
		halt
		.data 0x1ffc
		.word 1, 2`)
	res, _ := run(t, p, exec.Options{})
	wantHalt(t, res, 0)
	if res.TouchedPages != 4 {
		t.Fatalf("touched %d pages, want 4 (two of the image, two of the load)", res.TouchedPages)
	}
}
