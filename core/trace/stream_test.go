package trace

import (
	"bytes"
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/core/isa"
)

func TestStreamRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := NewStreamWriter(&buf)
	var want []Record
	for i := range 70000 {
		r := Record{Clk: uint64(i), PC: uint32(i % 7), NextPC: uint32(i%7 + 1), Inst: isa.Instruction{Op: isa.ADD, A: 8, B: 12, C: 16},
			A: uint32(i * 3), B: uint32(i), C: uint32(2 * i)}
		want = append(want, r)
		if err := w.Write(&r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var got []Record
	n, err := ReadStream(bytes.NewReader(buf.Bytes()), 0, func(r *Record) error { got = append(got, *r.Clone()); return nil })
	if err != nil || n != uint64(len(want)) {
		t.Fatalf("read %d records: %v", n, err)
	}
	for i := range want {
		if !got[i].Equal(&want[i]) {
			t.Fatalf("record %d differs", i)
		}
	}
	// Truncations and a limit are errors.
	b := buf.Bytes()
	for _, cut := range []int{2, 6, len(b) - 1} {
		if _, err := ReadStream(bytes.NewReader(b[:cut]), 0, func(*Record) error { return nil }); !errors.Is(err, ErrFormat) {
			t.Fatalf("cut at %d: %v", cut, err)
		}
	}
	if _, err := ReadStream(bytes.NewReader(b), 100, func(*Record) error { return nil }); !errors.Is(err, ErrFormat) {
		t.Fatal("limit not enforced")
	}
}

func FuzzReadStream(f *testing.F) {
	f.Add([]byte{5, 0, 0, 0, 1, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ReadStream(bytes.NewReader(b), 1000, func(*Record) error { return nil })
	})
}
