package codec

import (
	"encoding/binary"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

func noPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: panicked: %v", what, r)
		}
	}()
	f()
}

// Reader.Ext, Exts, Node and Nodes on bad lengths (every truncation, a length prefix
// claiming more than is left, a degree-6 vector read as degree 4 and the reverse, a
// non-canonical coordinate): an error that sticks, never a panic; what decodes is of
// the reader's degree and canonical for the reader's scheme.
func TestExtNodeBadLengthsAttack(t *testing.T) {
	var w Writer
	e6 := field.ExtFromCoords([]field.Elem{field.New(1), field.New(2), field.New(3), field.New(4), field.New(5), field.New(6)})
	w.Exts([]field.Ext{e6, e6, e6}, 6)
	var n hash.Node
	for i := range n {
		n[i] = field.New(uint64(100 + i))
	}
	w.Nodes([]hash.Node{n, n}, hash.Wide)
	full := w.Buf
	for cut := 0; cut <= len(full); cut++ {
		for _, d := range []int{4, 6} {
			for _, s := range []hash.Scheme{hash.Narrow, hash.Wide} {
				noPanic(t, "truncated", func() {
					r := NewReader(full[:cut])
					xs := r.Exts("x", d, 16)
					ns := r.Nodes("n", s, 16)
					err := r.Done()
					if err == nil && (cut != len(full) || d != 6 || s != hash.Wide) {
						// Only a whole input read as written can be consumed exactly, except by
						// coincidence of lengths (which the decoders then check by shape).
						if 4+len(xs)*4*d+4+len(ns)*4*s.DigestLen() != cut {
							t.Errorf("cut %d d %d %v: consumed a different length", cut, d, s)
						}
					}
					for _, x := range xs {
						if x.Degree() != d {
							t.Errorf("decoded degree %d for a degree-%d reader", x.Degree(), d)
						}
					}
					for i := range ns {
						if !s.Canonical(&ns[i]) {
							t.Errorf("decoded a non-canonical %v node", s)
						}
					}
				})
			}
		}
	}
	// A length prefix far beyond the input, for each reader: an error, no allocation
	// beyond the input.
	huge := binary.LittleEndian.AppendUint32(nil, 1<<31)
	for _, d := range []int{4, 6} {
		r := NewReader(huge)
		if v := r.Exts("x", d, 1<<31); len(v) != 0 || r.Err() == nil {
			t.Fatalf("degree %d: a huge length accepted", d)
		}
	}
	for _, s := range []hash.Scheme{hash.Narrow, hash.Wide} {
		r := NewReader(huge)
		if v := r.Nodes("n", s, 1<<31); len(v) != 0 || r.Err() == nil {
			t.Fatalf("%v: a huge length accepted", s)
		}
	}
	// A non-canonical coordinate in the last place of a degree-6 element and of a Wide
	// node: an error.
	bad := binary.LittleEndian.AppendUint32(nil, 1)
	for range 5 {
		bad = binary.LittleEndian.AppendUint32(bad, 1)
	}
	bad = binary.LittleEndian.AppendUint32(bad, uint32(field.Modulus))
	r := NewReader(bad[4:])
	r.Ext(6)
	if r.Err() == nil {
		t.Fatal("a non-canonical sixth coordinate accepted")
	}
	nb := make([]byte, 0, 48)
	for i := range 12 {
		v := uint32(i)
		if i == 11 {
			v = 0xffffffff
		}
		nb = binary.LittleEndian.AppendUint32(nb, v)
	}
	r = NewReader(nb)
	r.Node(hash.Wide)
	if r.Err() == nil {
		t.Fatal("a non-canonical twelfth node element accepted")
	}
	// The Narrow reader reads 8 elements and never sets 8..11.
	r = NewReader(nb)
	if got := r.Node(hash.Narrow); !hash.Narrow.Canonical(&got) || r.Offset() != 32 {
		t.Fatal("a Narrow node read more than 8 elements")
	}
}

// Reader.Ext of a degree other than 4 or 6 fails the reader instead of panicking.
func TestReaderExtBadDegree(t *testing.T) {
	for _, d := range []int{0, 5, 7} {
		r := NewReader(make([]byte, 64))
		r.Ext(d)
		if r.Err() == nil {
			t.Errorf("degree %d: no error", d)
		}
	}
}
