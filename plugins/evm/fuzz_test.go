package main

import (
	"testing"

	sdkevm "github.com/oneiros-zk/oneiros/sdk/evm"
)

// FuzzTranslate translates arbitrary code (as the recipient's and as a creation's init
// code): it must always give a valid program.
func FuzzTranslate(f *testing.F) {
	for _, s := range []string{"", "00", "5b600056", "60", "7f", "6004565b", "f0f5", "5f5f5ff3"} {
		b, _ := sdkevm.ParseHex("0x" + s)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, code []byte) {
		if len(code) > 4096 {
			return
		}
		c := hostileContainer(t, hostile{code: hexOf(code)})
		if _, err := build(c); err != nil {
			t.Fatal(err)
		}
		c.Tx.To, c.Tx.Data = nil, code
		if _, err := build(c); err != nil {
			t.Fatal(err)
		}
	})
}
