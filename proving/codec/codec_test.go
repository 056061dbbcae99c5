package codec

import (
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

func TestRoundTrip(t *testing.T) {
	var w Writer
	w.Uint8(7)
	w.Uint64(1 << 40)
	w.Elems([]field.Elem{field.New(1), field.New(field.Modulus - 1)})
	w.Exts([]field.Ext{field.ExtFromCoords([]field.Elem{field.New(1), field.New(2), field.New(3), field.New(4)})}, 4)
	d := hash.Tagged("t", nil)
	w.Digests([]hash.Digest{d})
	w.Bytes([]byte("abc"))
	r := NewReader(w.Buf)
	if r.Uint8() != 7 || r.Uint64() != 1<<40 {
		t.Fatal("ints")
	}
	if v := r.Elems("e", 10); len(v) != 2 || v[1].Uint64() != field.Modulus-1 {
		t.Fatal("elems")
	}
	if v := r.Exts("x", 4, 10); len(v) != 1 || v[0].Coord(3).Uint64() != 4 {
		t.Fatal("exts")
	}
	if v := r.Digests("d", 10); len(v) != 1 || v[0] != d {
		t.Fatal("digests")
	}
	if string(r.Bytes("b", 10)) != "abc" {
		t.Fatal("bytes")
	}
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
}

func TestRejects(t *testing.T) {
	for name, b := range map[string][]byte{
		"truncated":     {1, 0},
		"non-canonical": {1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff},
		"over limit":    {200, 0, 0, 0},
		"over input":    {9, 0, 0, 0, 1, 0, 0, 0},
	} {
		r := NewReader(b)
		_ = r.Elems("v", 100)
		if err := r.Done(); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: got %v", name, err)
		}
	}
	var w Writer
	w.Uint32(1)
	w.Uint32(2)
	r := NewReader(w.Buf)
	r.Uint32()
	if err := r.Done(); err == nil {
		t.Fatal("trailing bytes accepted")
	}
}
