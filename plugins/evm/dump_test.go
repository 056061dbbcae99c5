package main

import (
	"os"
	"testing"
)

// TestDump writes the normalized program of the container in $EVM_DUMP_IN to
// $EVM_DUMP_OUT (a debugging aid).
func TestDump(t *testing.T) {
	in, out := os.Getenv("EVM_DUMP_IN"), os.Getenv("EVM_DUMP_OUT")
	if in == "" || out == "" {
		t.Skip("EVM_DUMP_IN and EVM_DUMP_OUT not set")
	}
	src, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	bt, err := compile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, bt.prog.Encode(), 0o644); err != nil {
		t.Fatal(err)
	}
}
