package stark

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/codec"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// FormatVersion is the version of the proof encoding. It changes whenever Encode's
// output for the same proof would change; proof fixtures are named after it. Version 2
// added the proof-of-work nonces LogUpNonce and DEEPNonce. A proof over an extension of
// degree other than 4 or with the Wide hash is written as FormatVersionExt: version 2's
// layout with two bytes after the version, the degree and the hash scheme, and the
// commitments of the scheme's size (a degree-4, Narrow proof keeps version 2's bytes).
const (
	FormatVersion    = 2
	FormatVersionExt = 3
)

// Proof is a multi-table STARK proof.
type Proof struct {
	LogN     []int     // log2 of each table's height
	MainRoot hash.Node // commitment to the main traces
	AuxRoot  hash.Node // commitment to the LogUp columns (zero if no table has any)
	QuotRoot hash.Node // commitment to the quotient chunks
	// LogUpNonce is the proof of work (pcs.Scheme.Grinding's logUp bits) absorbed after
	// MainRoot, before the LogUp challenges are drawn; DEEPNonce the one (deep bits)
	// absorbed after QuotRoot, before the out-of-domain point ζ. Each is the smallest
	// nonce that meets its bits (0 when the bits are 0).
	LogUpNonce field.Elem
	DEEPNonce  field.Elem
	CumSums    []field.Ext // each table's LogUp cumulative sum (zero without interactions)
	// Values are the opened values, [round][matrix][point][column], rounds in the order
	// preprocessed (if any), main, aux (if any), quotient.
	Values [][][][]field.Ext
	PCS    []byte // the polynomial commitment scheme's opening proof
	// Ext is the degree of the extension the extension elements live in: 4 (0 reads as
	// 4) or 6. Hash is the commitments' hash scheme.
	Ext  int
	Hash hash.Scheme
}

// ExtDegree is Ext, 4 for the zero value.
func (p *Proof) ExtDegree() int {
	if p.Ext == 0 {
		return field.ExtDegree4
	}
	return p.Ext
}

const (
	maxTables   = 256
	maxRounds   = 4
	maxPoints   = 4
	maxColumns  = 1 << 16
	maxPCSBytes = 1 << 30
)

var magic = [4]byte{'H', 'M', 'R', 'S'}

// Encode serializes the proof: a magic, the format version, then the fields in order.
func (p *Proof) Encode() []byte {
	var w codec.Writer
	w.Buf = append(w.Buf, magic[:]...)
	dg := p.ExtDegree()
	if dg == field.ExtDegree4 && p.Hash == hash.Narrow {
		w.Uint32(FormatVersion)
	} else {
		w.Uint32(FormatVersionExt)
		w.Uint8(uint8(dg))
		w.Uint8(uint8(p.Hash))
	}
	w.Uint32(uint32(len(p.LogN)))
	for _, l := range p.LogN {
		w.Uint8(uint8(l)) // Absent (−1) encodes as 255
	}
	w.Node(p.MainRoot, p.Hash)
	w.Node(p.AuxRoot, p.Hash)
	w.Node(p.QuotRoot, p.Hash)
	w.Elem(p.LogUpNonce)
	w.Elem(p.DEEPNonce)
	w.Exts(p.CumSums, dg)
	w.Uint32(uint32(len(p.Values)))
	for _, r := range p.Values {
		w.Uint32(uint32(len(r)))
		for _, m := range r {
			w.Uint32(uint32(len(m)))
			for _, pt := range m {
				w.Exts(pt, dg)
			}
		}
	}
	w.Bytes(p.PCS)
	return w.Buf
}

// Decode parses a proof. It never panics on any input and allocates no more than the
// input's size justifies.
func Decode(b []byte) (*Proof, error) {
	if len(b) < 4 || [4]byte(b[:4]) != magic {
		return nil, &Error{Check: "decode", Msg: "not a Hemera STARK proof (bad magic)"}
	}
	r := codec.NewReader(b[4:])
	p := &Proof{Ext: field.ExtDegree4}
	switch v := r.Uint32(); {
	case r.Err() != nil:
	case v == FormatVersionExt:
		// A degree-4, Narrow proof has one encoding: version 2.
		d, h := int(r.Uint8()), hash.Scheme(r.Uint8())
		if r.Err() == nil && (!field.ValidExtDegree(d) || !h.Valid() || d == field.ExtDegree4 && h == hash.Narrow) {
			return nil, &Error{Check: "decode", Msg: fmt.Sprintf("proof format version %d with extension degree %d and hash %v", v, d, h)}
		}
		p.Ext, p.Hash = d, h
	case v != FormatVersion:
		return nil, &Error{Check: "decode", Msg: fmt.Sprintf("proof format version %d, this verifier reads versions %d and %d", v, FormatVersion, FormatVersionExt)}
	}
	nt := r.Len("tables", maxTables, 1)
	p.LogN = make([]int, nt)
	for i := range p.LogN {
		p.LogN[i] = int(r.Uint8())
		if p.LogN[i] == 255 {
			p.LogN[i] = Absent
		}
	}
	p.MainRoot = r.Node(p.Hash)
	p.AuxRoot = r.Node(p.Hash)
	p.QuotRoot = r.Node(p.Hash)
	p.LogUpNonce = r.Elem()
	p.DEEPNonce = r.Elem()
	p.CumSums = r.Exts("cumulative sums", p.Ext, maxTables)
	nr := r.Len("rounds", maxRounds, 4)
	p.Values = make([][][][]field.Ext, nr)
	for i := range p.Values {
		nm := r.Len("matrices", maxTables, 4)
		p.Values[i] = make([][][]field.Ext, nm)
		for j := range p.Values[i] {
			np := r.Len("points", maxPoints, 4)
			p.Values[i][j] = make([][]field.Ext, np)
			for k := range p.Values[i][j] {
				p.Values[i][j][k] = r.Exts("values", p.Ext, maxColumns)
			}
		}
	}
	p.PCS = r.Bytes("pcs proof", maxPCSBytes)
	if err := r.Done(); err != nil {
		return nil, &Error{Check: "decode", Err: err}
	}
	return p, nil
}
