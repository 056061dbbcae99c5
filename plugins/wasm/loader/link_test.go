package loader_test

import (
	"context"
	"encoding/binary"
	"os"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/plugins/wasm/container"
	"github.com/oneiros-zk/oneiros/plugins/wasm/loader"
)

// TestLinking links two modules through a container: b imports a's memory, table,
// global and a function, and a sees what b does to them.
func TestLinking(t *testing.T) {
	a, err := os.ReadFile("../testdata/linka.wasm")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../testdata/linkb.wasm")
	if err != nil {
		t.Fatal(err)
	}
	i32 := func(v uint32) container.Value { return container.Value{Type: 0x7F, Bits: uint64(v)} }
	i64 := func(v uint64) container.Value { return container.Value{Type: 0x7E, Bits: v} }
	inv := func(m int32, name string, args ...container.Value) container.Step {
		return container.Step{Kind: container.KindInvoke, Module: m, Name: name, Args: args}
	}
	steps := []container.Step{
		{Kind: container.KindModule, Bytes: a},
		{Kind: container.KindRegister, Name: "a", Module: 0},
		{Kind: container.KindModule, Bytes: b},
		inv(0, "load", i32(16)),                // 42: b's data segment went into a's memory
		inv(1, "store", i32(100), i32(6)),      // a.inc(6) = 7 at 100
		inv(0, "load", i32(100)),               // 7
		inv(1, "grow", i32(2)),                 // 1
		inv(0, "size"),                         // 3
		inv(1, "grow", i32(2)),                 // -1: past a's maximum of 4
		inv(1, "setg", i64(3)),                 // g = 15
		inv(0, "getg"),                         // 15
		inv(0, "call0", i32(20), i32(1)),       // table[1] = b's double: 40
		inv(1, "via", i32(0), i32(20)),         // table[0] = a's inc: 21
		inv(0, "load", i32(3*65536-4)),         // 0: in the grown memory
		inv(0, "load", i32(3*65536-3)),         // trap: out of bounds
		inv(1, "via", i32(3), i32(1)),          // trap: null entry
		{Kind: container.KindModule, Bytes: b}, // instantiated again: fine
		{Kind: container.KindModule, Bytes: []byte("\x00asm\x01\x00\x00\x00\x02\x06\x01\x01a\x01z\x00\x00")}, // unknown import
	}
	want := []uint32{0, 0, 1 << 8, 42, 0, 1 << 8, 7, 1 << 8, 1, 1 << 8, 3, 1 << 8, 0xFFFFFFFF, 0, 2 << 8, 15, 0,
		1 << 8, 40, 1 << 8, 21, 1 << 8, 0, 1 | 4<<8, 1 | 6<<8, 0, 2 | 1<<8}
	l, err := loader.Load((&container.Container{Steps: steps}).Encode(), loader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := exec.Run(context.Background(), l.Program, exec.Options{})
	if err != nil || res.Trap != nil {
		t.Fatal(err, res.Trap)
	}
	var got []uint32
	for o := res.Output; len(o) >= 4; o = o[4:] {
		got = append(got, binary.LittleEndian.Uint32(o))
	}
	if len(got) != len(want) {
		t.Fatalf("outcome words %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("outcome words %v, want %v (word %d)", got, want, i)
		}
	}
}
