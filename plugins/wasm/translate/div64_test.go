package translate_test

import (
	"context"
	"encoding/binary"
	"math/rand"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/plugins/wasm/container"
	"github.com/oneiros-zk/oneiros/plugins/wasm/loader"
)

// divModule exports div_s, div_u, rem_s, rem_u: (i64, i64) → i64.
var divModule = func() []byte {
	m := []byte{
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		0x01, 0x07, 0x01, 0x60, 0x02, 0x7e, 0x7e, 0x01, 0x7e, // type (i64 i64) -> i64
		0x03, 0x05, 0x04, 0x00, 0x00, 0x00, 0x00, // four functions of it
		0x07, 0x21, 0x04, // exports
		0x05, 'd', 'i', 'v', '_', 's', 0x00, 0x00,
		0x05, 'd', 'i', 'v', '_', 'u', 0x00, 0x01,
		0x05, 'r', 'e', 'm', '_', 's', 0x00, 0x02,
		0x05, 'r', 'e', 'm', '_', 'u', 0x00, 0x03,
	}
	code := []byte{0x04}
	for _, op := range []byte{0x7F, 0x80, 0x81, 0x82} { // local.get 0, local.get 1, op, end
		code = append(code, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, op, 0x0B)
	}
	return append(append(m, 0x0a, byte(len(code))), code...)
}()

// TestDiv64 checks the 64-bit division routines against Go on edge and random operands.
func TestDiv64(t *testing.T) {
	edges := []uint64{0, 1, 2, 3, 7, 10, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x100000000, 0x100000001,
		0x1234567890ABCDEF, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, 0x8000000000000001, 0xFFFFFFFFFFFFFFFF,
		0xFFFFFFFF00000000, 0x00000001FFFFFFFF, 0xFFFF0000FFFF0000}
	r := rand.New(rand.NewSource(3))
	var pairs [][2]uint64
	for _, a := range edges {
		for _, b := range edges {
			pairs = append(pairs, [2]uint64{a, b})
		}
	}
	for i := 0; i < 3000; i++ {
		a, b := r.Uint64(), r.Uint64()
		switch i % 4 {
		case 1:
			b >>= uint(r.Intn(64))
		case 2:
			a >>= uint(r.Intn(64))
		case 3:
			b &= 0xFFFFFFFF
		}
		pairs = append(pairs, [2]uint64{a, b})
	}
	names := []string{"div_s", "div_u", "rem_s", "rem_u"}
	c := &container.Container{Steps: []container.Step{{Kind: container.KindModule, Bytes: divModule}}}
	for _, p := range pairs {
		for _, n := range names {
			c.Steps = append(c.Steps, container.Step{Kind: container.KindInvoke, Module: 0, Name: n,
				Args: []container.Value{{Type: 0x7E, Bits: p[0]}, {Type: 0x7E, Bits: p[1]}}})
		}
	}
	l, err := loader.Load(c.Encode(), loader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := exec.Run(context.Background(), l.Program, exec.Options{Limits: exec.Limits{MaxCycles: 1 << 30}})
	if err != nil || res.Trap != nil {
		t.Fatal(err, res.Trap)
	}
	out := res.Output[4:] // the module step
	for _, p := range pairs {
		a, b := p[0], p[1]
		for _, n := range names {
			tag := binary.LittleEndian.Uint32(out)
			out = out[4:]
			var want uint64
			trap := b == 0 || n == "div_s" && int64(a) == -1<<63 && int64(b) == -1
			if !trap {
				switch n {
				case "div_s":
					want = uint64(int64(a) / int64(b))
				case "div_u":
					want = a / b
				case "rem_s":
					if int64(b) == -1 {
						want = 0
					} else {
						want = uint64(int64(a) % int64(b))
					}
				case "rem_u":
					want = a % b
				}
			}
			if trap {
				if tag&0xFF != 1 {
					t.Fatalf("%s(%#x, %#x): outcome %#x, want a trap", n, a, b, tag)
				}
				continue
			}
			got := uint64(binary.LittleEndian.Uint32(out)) | uint64(binary.LittleEndian.Uint32(out[4:]))<<32
			out = out[8:]
			if tag != 2<<8 || got != want {
				t.Fatalf("%s(%#x, %#x) = %#x (outcome %#x), want %#x", n, a, b, got, tag, want)
			}
		}
	}
	t.Logf("%d divisions in %d cycles", 4*len(pairs), res.Cycles)
}
