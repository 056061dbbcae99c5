package container

import (
	"bytes"
	"testing"
)

// FuzzDecode: decoding never panics, and what decodes encodes back to the same bytes.
func FuzzDecode(f *testing.F) {
	c := &Container{Flags: FlagLenientFloat, Steps: []Step{
		{Kind: KindModule, Name: "$M", Bytes: []byte("\x00asm\x01\x00\x00\x00")},
		{Kind: KindRegister, Name: "m", Module: 0},
		{Kind: KindInvoke, Module: -1, Name: "f", Args: []Value{{Type: 0x7F, Bits: 7}}},
		{Kind: KindGet, Module: 0, Name: "g"},
	}}
	f.Add(c.Encode())
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Decode(b)
		if err != nil {
			return
		}
		if again := c.Encode(); !bytes.Equal(again, b) {
			t.Fatalf("decode/encode changed the container")
		}
	})
}
