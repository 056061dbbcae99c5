// Package codec is the byte encoding of the Hemera Engine's proofs: little-endian
// integers, canonical field elements, digests and length-prefixed vectors.
//
// # Usage
//
//	var w codec.Writer
//	w.Elems(v)
//	r := codec.NewReader(w.Buf)
//	v := r.Elems("openings", 1<<20)
//	if err := r.Done(); err != nil { … }
//
// # Security
//
// Proof bytes are untrusted. The Reader never panics: a short buffer, a length past its
// limit or past the bytes left, or a non-canonical field element records an error
// wrapping [ErrMalformed] with the byte offset, and every later read returns zero
// values. Lengths are checked against the remaining input before anything is allocated,
// so a few hostile bytes cannot make the decoder allocate gigabytes.
package codec
