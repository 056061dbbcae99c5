package trace_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
)

func example(tb testing.TB, name string) *isa.Program {
	tb.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
	if err != nil {
		tb.Fatal(err)
	}
	p, err := isa.Assemble(name, src)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// records runs an example and returns copies of its records.
func records(tb testing.TB, name string, input []byte) (*isa.Program, []trace.Record) {
	tb.Helper()
	p := example(tb, name)
	var recs []trace.Record
	_, err := exec.Run(context.Background(), p, exec.Options{Input: input, Sink: func(r *trace.Record) error {
		recs = append(recs, *r.Clone())
		return nil
	}})
	if err != nil {
		tb.Fatal(err)
	}
	return p, recs
}

func tourInput() []byte {
	return binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, 0x12345678), 0x9abcdef0)
}

func TestCodecRoundTrip(t *testing.T) {
	for _, ex := range []struct {
		name  string
		input []byte
	}{
		{"isa_tour.s", tourInput()},
		{"keccak.s", bytes.Repeat([]byte("abc"), 100)},
		{"fib.s", []byte{20, 0, 0, 0}},
	} {
		_, recs := records(t, ex.name, ex.input)
		chunks, err := trace.EncodeChunks(recs)
		if err != nil {
			t.Fatal(err)
		}
		var got []trace.Record
		size := 0
		for _, c := range chunks {
			rs, err := trace.DecodeChunk(c)
			if err != nil {
				t.Fatalf("%s: %v", ex.name, err)
			}
			got = append(got, rs...)
			size += len(c)
		}
		if len(got) != len(recs) {
			t.Fatalf("%s: %d records back, %d sent", ex.name, len(got), len(recs))
		}
		for i := range recs {
			if !got[i].Equal(&recs[i]) {
				t.Fatalf("%s: record %d\n got %v\nwant %v", ex.name, i, &got[i], &recs[i])
			}
		}
		t.Logf("%s: %d records in %d bytes (%.1f bytes/record)", ex.name, len(recs), size, float64(size)/float64(len(recs)))
	}
}

func TestCodecChunks(t *testing.T) {
	// Enough records to need several chunks; every chunk stays within the limit and
	// decodes on its own.
	_, recs := records(t, "fib.s", []byte{0x40, 0x9c, 0, 0}) // fib(40000): 200k records
	var chunks [][]byte
	w := trace.NewWriter(func(c []byte) error { chunks = append(chunks, c); return nil })
	for i := range recs {
		if err := w.Write(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if len(chunks) < 2 {
		t.Fatalf("%d chunks", len(chunks))
	}
	n := 0
	for i, c := range chunks {
		if len(c) > trace.MaxChunkSize {
			t.Fatalf("chunk %d has %d bytes", i, len(c))
		}
		rs, err := trace.DecodeChunk(c)
		if err != nil {
			t.Fatal(err)
		}
		if rs[0].Clk != uint64(n) {
			t.Fatalf("chunk %d starts at clk %d, want %d", i, rs[0].Clk, n)
		}
		n += len(rs)
	}
	if n != len(recs) {
		t.Fatalf("%d records, want %d", n, len(recs))
	}
	// An emit error stops the writer.
	boom := errors.New("closed")
	w = trace.NewWriter(func([]byte) error { return boom })
	var err error
	for i := 0; i < len(recs) && err == nil; i++ {
		err = w.Write(&recs[i])
	}
	if !errors.Is(err, boom) {
		t.Fatalf("emit error: %v", err)
	}
}

func TestCodecRejects(t *testing.T) {
	_, recs := records(t, "isa_tour.s", tourInput())
	chunks, err := trace.EncodeChunks(recs[:50])
	if err != nil {
		t.Fatal(err)
	}
	good := chunks[0]
	cases := []struct {
		name string
		b    []byte
		msg  string
	}{
		{"empty", nil, "shorter than its header"},
		{"version", append([]byte{2}, good[1:]...), "chunk version 2"},
		{"count too large", append([]byte{1, 0xff, 0xff, 0xff, 0x0f}, good[5:]...), "cannot fit"},
		{"truncated", good[:len(good)-1], "record 49"},
		{"trailing", append(bytes.Clone(good), 0), "trailing bytes"},
		{"header bits", append(append([]byte{1, 1, 0, 0, 0}, 0xe0), make([]byte, 20)...), "reserved header bits"},
		{"bad opcode", append(append([]byte{1, 1, 0, 0, 0}, 0x1f, 0, 0), make([]byte, 20)...), "unknown opcode"},
		{"too big", make([]byte, trace.MaxChunkSize+1), "exceeds"},
	}
	for _, tc := range cases {
		_, err := trace.DecodeChunk(tc.b)
		if err == nil || !errors.Is(err, trace.ErrFormat) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.msg)
		}
	}
	// The writer refuses records the format cannot carry.
	bad := recs[1].Clone()
	bad.Accesses = append(bad.Accesses, bad.Accesses[0])
	if _, err := trace.EncodeChunks([]trace.Record{*bad}); err == nil || !strings.Contains(err.Error(), "slots must increase") {
		t.Errorf("unordered slots: %v", err)
	}
}

// The checker accepts honest runs and rejects each kind of tampering.
func TestChecker(t *testing.T) {
	p, recs := records(t, "isa_tour.s", tourInput())
	check := func(recs []trace.Record) error {
		c := trace.NewChecker(p)
		for i := range recs {
			if err := c.Check(&recs[i]); err != nil {
				return err
			}
		}
		return nil
	}
	if err := check(recs); err != nil {
		t.Fatal(err)
	}
	// Find records to tamper with: an ALU op with two slot operands, a load, a store.
	find := func(f func(r *trace.Record) bool) int {
		for i := range recs {
			if f(&recs[i]) {
				return i
			}
		}
		t.Fatal("no such record")
		return 0
	}
	alu := find(func(r *trace.Record) bool { return r.Inst.Op == isa.MUL && !r.Inst.ImmB() && !r.Inst.ImmC() })
	load := find(func(r *trace.Record) bool { return r.Inst.Op == isa.LW && len(r.Accesses) == 4 })
	cases := []struct {
		name string
		i    int
		mut  func(r *trace.Record)
		msg  string
	}{
		{"clk", alu, func(r *trace.Record) { r.Clk++ }, "clk"},
		{"pc", alu, func(r *trace.Record) { r.PC++ }, "previous record left"},
		{"next pc", alu, func(r *trace.Record) { r.NextPC += 2 }, "previous record left"},
		{"instruction", alu, func(r *trace.Record) { r.Inst.Op = isa.ADD }, "not the ROM's"},
		{"operand", alu, func(r *trace.Record) { r.B++ }, "operand b"},
		{"result", alu, func(r *trace.Record) { r.A++ }, "operand a"},
		{"value read", load, func(r *trace.Record) { r.Accesses[1].Before++; r.Accesses[1].After++ }, "value before"},
		{"prev ts", load, func(r *trace.Record) { r.Accesses[1].PrevTS-- }, "prev ts"},
		{"first touch", load, func(r *trace.Record) { r.Accesses[1].First = true; r.Accesses[1].PrevTS = 0 }, "first-touch"},
		{"slot address", alu, func(r *trace.Record) { r.Accesses[0].Addr += 4 }, ""},
		{"ts", alu, func(r *trace.Record) { r.Accesses[0].TS += trace.SlotsPerCycle }, "not in this cycle"},
		{"read changes", alu, func(r *trace.Record) { r.Accesses[0].After++ }, "a read changes the word"},
		{"dropped access", alu, func(r *trace.Record) { r.Accesses = r.Accesses[1:] }, "no access in slot 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bad := make([]trace.Record, len(recs))
			for i := range recs {
				bad[i] = *recs[i].Clone()
			}
			tc.mut(&bad[tc.i])
			err := check(bad)
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("error %v, want %q", err, tc.msg)
			}
		})
	}
}
