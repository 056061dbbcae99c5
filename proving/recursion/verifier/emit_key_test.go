package verifier

import (
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/recursion"
)

// TestEmitKeyCells verifies a proof with the key's digest and preprocessed commitment
// read as cells (EmitKey): it executes with the key's own values and fails when any one
// element of either is another (the transcript absorbs the digest; every Merkle opening
// of the preprocessed round is checked against the commitment).
func TestEmitKeyCells(t *testing.T) {
	s := fullSystem(t)
	if !s.vk.HasPrep {
		t.Fatal("the full system has no preprocessed columns")
	}
	sh, err := ShapeOf(s.vk, s.e.Params(), s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	b := recursion.NewBuilder()
	var key Key
	for i := range key.Digest {
		key.Digest[i] = b.InputBase()
	}
	for i := range key.PrepRoot {
		key.PrepRoot[i] = b.InputBase()
	}
	if err := EmitKey(b, sh, nil, &key); err != nil {
		t.Fatal(err)
	}
	prog := b.Program()
	rest, err := Inputs(sh, s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	stream := func(d hash.Digest, r hash.Node) []field.Ext {
		var in []field.Ext
		for _, x := range d {
			in = append(in, field.NewExt(x))
		}
		for _, x := range r[:hash.DigestLen] {
			in = append(in, field.NewExt(x))
		}
		return append(in, rest...)
	}
	if _, err := prog.Execute(stream(s.vk.Digest, s.vk.PrepRoot)); err != nil {
		t.Fatalf("the key's own digest and commitment: %v", err)
	}
	var ee *recursion.ExecError
	for i := range hash.DigestLen {
		d, r := s.vk.Digest, s.vk.PrepRoot
		d[i].SetUint64(d[i].Uint64() + 1)
		if _, err := prog.Execute(stream(d, s.vk.PrepRoot)); !errors.As(err, &ee) {
			t.Fatalf("digest element %d changed: %v", i, err)
		}
		r[i].SetUint64(r[i].Uint64() + 1)
		if _, err := prog.Execute(stream(s.vk.Digest, r)); !errors.As(err, &ee) {
			t.Fatalf("preprocessed commitment element %d changed: %v", i, err)
		}
	}
	// Emit is EmitKey with the shape's key as constants: the same program but for the
	// sixteen inputs.
	ref, err := Program(sh)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := prog.Stats()[recursion.OpPerm], ref.Stats()[recursion.OpPerm]; got != want {
		t.Fatalf("EmitKey: %d permutations, Emit %d", got, want)
	}
}
