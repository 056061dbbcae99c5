package codec

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// ErrMalformed is wrapped by every decoding error.
var ErrMalformed = errors.New("malformed encoding")

// Writer appends little-endian values to a byte slice.
type Writer struct{ Buf []byte }

func (w *Writer) Uint8(v uint8)   { w.Buf = append(w.Buf, v) }
func (w *Writer) Uint32(v uint32) { w.Buf = binary.LittleEndian.AppendUint32(w.Buf, v) }
func (w *Writer) Uint64(v uint64) { w.Buf = binary.LittleEndian.AppendUint64(w.Buf, v) }
func (w *Writer) Bytes(b []byte)  { w.Uint32(uint32(len(b))); w.Buf = append(w.Buf, b...) }
func (w *Writer) Elem(e field.Elem) {
	w.Uint32(uint32(e.Uint64()))
}
func (w *Writer) Elems(v []field.Elem) {
	w.Uint32(uint32(len(v)))
	for _, e := range v {
		w.Elem(e)
	}
}

// Ext writes the d coordinates of e, an element of the degree-d extension (or of the
// base field).
func (w *Writer) Ext(e field.Ext, d int) {
	if !e.InDegree(d) {
		panic(fmt.Sprintf("codec: a degree-%d element written as degree %d", e.Degree(), d)) // invariant of the encoders
	}
	co := field.ExtCoords(&e)
	for _, c := range co[:d] {
		w.Elem(c)
	}
}
func (w *Writer) Exts(v []field.Ext, d int) {
	w.Uint32(uint32(len(v)))
	for _, e := range v {
		w.Ext(e, d)
	}
}
func (w *Writer) Digest(d hash.Digest) { w.Buf = append(w.Buf, d.Bytes()...) }
func (w *Writer) Digests(v []hash.Digest) {
	w.Uint32(uint32(len(v)))
	for _, d := range v {
		w.Digest(d)
	}
}

// Node writes a commitment of scheme s: its DigestLen elements (a Narrow node is
// written exactly as its Digest).
func (w *Writer) Node(n hash.Node, s hash.Scheme) {
	for _, e := range n[:s.DigestLen()] {
		w.Elem(e)
	}
}
func (w *Writer) Nodes(v []hash.Node, s hash.Scheme) {
	w.Uint32(uint32(len(v)))
	for _, n := range v {
		w.Node(n, s)
	}
}

// Reader decodes what Writer wrote. It never panics: the first error sticks, later
// reads return zero values, and Err reports it with the byte offset.
type Reader struct {
	buf []byte
	off int
	err error
}

// NewReader reads b.
func NewReader(b []byte) *Reader { return &Reader{buf: b} }

// Err is the first error met, or nil.
func (r *Reader) Err() error { return r.err }

// Offset is the number of bytes consumed.
func (r *Reader) Offset() int { return r.off }

// Remaining is the number of bytes left.
func (r *Reader) Remaining() int { return len(r.buf) - r.off }

// Fail records an error at the current offset (if none is recorded yet).
func (r *Reader) Fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w at byte %d: %s", ErrMalformed, r.off, fmt.Sprintf(format, args...))
	}
}

// Done fails unless every byte was consumed.
func (r *Reader) Done() error {
	if r.err == nil && r.off != len(r.buf) {
		r.Fail("%d trailing bytes", len(r.buf)-r.off)
	}
	return r.err
}

func (r *Reader) take(n int, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.buf)-r.off {
		r.Fail("truncated %s: need %d bytes, %d left", what, n, len(r.buf)-r.off)
		return nil
	}
	b := r.buf[r.off : r.off+n]
	r.off += n
	return b
}

func (r *Reader) Uint8() uint8 {
	if b := r.take(1, "byte"); b != nil {
		return b[0]
	}
	return 0
}

func (r *Reader) Uint32() uint32 {
	if b := r.take(4, "uint32"); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (r *Reader) Uint64() uint64 {
	if b := r.take(8, "uint64"); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

// Len reads a length prefix and checks it against max and against the bytes left,
// given that each item takes at least itemBytes: no allocation is ever larger than
// the input justifies.
func (r *Reader) Len(what string, max, itemBytes int) int {
	n := r.Uint32()
	if r.err != nil {
		return 0
	}
	if int64(n) > int64(max) {
		r.Fail("%s: length %d exceeds the limit %d", what, n, max)
		return 0
	}
	if itemBytes > 0 && int64(n)*int64(itemBytes) > int64(r.Remaining()) {
		r.Fail("%s: length %d needs %d bytes, %d left", what, n, int64(n)*int64(itemBytes), r.Remaining())
		return 0
	}
	return int(n)
}

// Bytes reads a length-prefixed byte string of at most max bytes.
func (r *Reader) Bytes(what string, max int) []byte {
	n := r.Len(what, max, 1)
	return r.take(n, what)
}

// Elem reads a canonical field element.
func (r *Reader) Elem() field.Elem {
	v := r.Uint32()
	var e field.Elem
	if r.err == nil && !field.Canonical(v) {
		r.Fail("field element %d is not below the modulus", v)
		return e
	}
	e.SetUint64(uint64(v))
	return e
}

// Elems reads a length-prefixed vector of at most max elements.
func (r *Reader) Elems(what string, max int) []field.Elem {
	n := r.Len(what, max, 4)
	v := make([]field.Elem, n)
	for i := range v {
		v[i] = r.Elem()
	}
	return v
}

// Ext reads an element of the degree-d extension (d is 4 or 6: the caller's parameters).
func (r *Reader) Ext(d int) field.Ext {
	if !field.ValidExtDegree(d) {
		r.Fail("extension degree %d (want 4 or 6)", d)
		return field.Ext{}
	}
	var co [field.MaxExtDegree]field.Elem
	for i := range d {
		co[i] = r.Elem()
	}
	return field.ExtFromCoords(co[:d])
}

// Exts reads a length-prefixed vector of at most max elements of the degree-d extension.
func (r *Reader) Exts(what string, d, max int) []field.Ext {
	n := r.Len(what, max, 4*d)
	v := make([]field.Ext, n)
	for i := range v {
		v[i] = r.Ext(d)
	}
	return v
}

func (r *Reader) Digest() hash.Digest {
	b := r.take(hash.DigestByteSize, "digest")
	if b == nil {
		return hash.Digest{}
	}
	d, err := hash.DigestFromBytes(b)
	if err != nil {
		r.off -= hash.DigestByteSize
		r.Fail("%v", err)
		r.off += hash.DigestByteSize
	}
	return d
}

// Node reads a commitment of scheme s.
func (r *Reader) Node(s hash.Scheme) hash.Node {
	var n hash.Node
	for i := range s.DigestLen() {
		n[i] = r.Elem()
	}
	return n
}

// Nodes reads a length-prefixed vector of at most max commitments of scheme s.
func (r *Reader) Nodes(what string, s hash.Scheme, max int) []hash.Node {
	k := r.Len(what, max, 4*s.DigestLen())
	v := make([]hash.Node, k)
	for i := range v {
		v[i] = r.Node(s)
	}
	return v
}

// Digests reads a length-prefixed vector of at most max digests.
func (r *Reader) Digests(what string, max int) []hash.Digest {
	n := r.Len(what, max, hash.DigestByteSize)
	v := make([]hash.Digest, n)
	for i := range v {
		v[i] = r.Digest()
	}
	return v
}
