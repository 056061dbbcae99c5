package container

import (
	"bytes"
	"testing"
)

func TestDecode(t *testing.T) {
	// PUSH2 0x0102, JUMPDEST, an undefined opcode, PUSH3 cut short by the end of the code.
	ins := Decode([]byte{0x61, 1, 2, 0x5b, 0x0c, 0x62, 9})
	want := []Instr{{0, 0x61, []byte{1, 2}}, {3, JUMPDEST, nil}, {4, 0x0c, nil}, {5, 0x62, []byte{9, 0, 0}}}
	if len(ins) != len(want) {
		t.Fatalf("%d instructions, want %d: %v", len(ins), len(want), ins)
	}
	for k, in := range ins {
		if in.PC != want[k].PC || in.Op != want[k].Op || !bytes.Equal(in.Imm, want[k].Imm) {
			t.Errorf("instruction %d: %+v, want %+v", k, in, want[k])
		}
	}
	if Info(0x0c).Name != "UNDEFINED" || !Info(0x0c).Terminates {
		t.Errorf("0x0c: %+v", Info(0x0c))
	}
	if o := Info(0x91); o.Name != "SWAP2" || o.Pops != 3 || o.Pushes != 3 || o.Gas != 3 {
		t.Errorf("SWAP2: %+v", o)
	}
	if !Creates([]byte{0x60, 0xf0, 0xf5}) || Creates([]byte{0x60, 0xf0}) {
		t.Error("Creates looked inside PUSH data or missed CREATE2")
	}
}
