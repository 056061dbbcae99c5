package container

import (
	"bytes"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	regs := [12]uint64{1, 2, 3}
	c := &Container{Text: []byte{0x95, 0, 0, 0, 0, 0, 0, 0}, TextVersion: 2, HasVersions: true, MinVersion: 0, MaxVersion: 3,
		RejectBrokenELFs: true, Budget: 100, HasHeap: true, Heap: 0, Regs: &regs, Input: []byte{1, 2, 3}, InputWritable: true,
		Boundaries: []uint32{1, 3}, Syscalls: []Syscall{{Impl: 1, Name: "log"}}, Functions: []Function{{Key: 7, PC: 0}},
		DumpRegisters: true}
	b := c.Encode()
	d, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d.Encode(), b) {
		t.Fatalf("round trip differs")
	}
}

// FuzzDecode: Decode never panics, and what it accepts encodes back to the same bytes.
func FuzzDecode(f *testing.F) {
	f.Add((&Container{Text: []byte{0x95, 0, 0, 0, 0, 0, 0, 0}, Input: []byte{}}).Encode())
	f.Add((&Container{ELF: []byte("\x7fELF"), Syscalls: []Syscall{{Impl: 2, Name: "log_64"}}, Boundaries: []uint32{4}}).Encode())
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Decode(b)
		if err != nil {
			return
		}
		if !bytes.Equal(c.Encode(), b) {
			t.Fatalf("accepted a non-canonical encoding")
		}
	})
}
