package fri

import (
	"github.com/oneiros-zk/oneiros/proving/codec"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/merkle"
)

// Proof is the FRI part of a proof: the folded layers' commitments, the final
// polynomial, the proof-of-work nonce, and per query the openings of the input
// commitments and of every layer.
type Proof struct {
	LayerRoots []hash.Digest
	FinalPoly  []field.Ext
	Nonce      field.Elem
	Queries    []QueryProof
}

// QueryProof answers one query.
type QueryProof struct {
	Inputs []merkle.Opening // one per opened commitment (round)
	Layers []merkle.Opening // one per committed layer: the coset's values and the path
}

// Limits on decoded sizes (far above anything the parameters allow).
const (
	maxLayers    = 32
	maxFinal     = 1 << 12
	maxQueries   = 512
	maxRounds    = 64
	maxMatrices  = 1 << 12
	maxRowWidth  = 1 << 16
	maxPathDepth = 32
)

// Encode serializes the proof.
func (p *Proof) Encode() []byte {
	var w codec.Writer
	w.Digests(p.LayerRoots)
	w.Exts(p.FinalPoly)
	w.Elem(p.Nonce)
	w.Uint32(uint32(len(p.Queries)))
	for _, q := range p.Queries {
		encodeOpenings(&w, q.Inputs)
		encodeOpenings(&w, q.Layers)
	}
	return w.Buf
}

func encodeOpenings(w *codec.Writer, os []merkle.Opening) {
	w.Uint32(uint32(len(os)))
	for _, o := range os {
		w.Uint32(uint32(len(o.Rows)))
		for _, r := range o.Rows {
			w.Elems(r)
		}
		w.Digests(o.Path)
	}
}

// Decode parses a proof; it never panics and bounds every allocation by the input size.
func Decode(b []byte) (*Proof, error) {
	r := codec.NewReader(b)
	p := &Proof{}
	p.LayerRoots = r.Digests("layer roots", maxLayers)
	p.FinalPoly = r.Exts("final polynomial", maxFinal)
	p.Nonce = r.Elem()
	nq := r.Len("queries", maxQueries, 8)
	p.Queries = make([]QueryProof, nq)
	for i := range p.Queries {
		p.Queries[i].Inputs = decodeOpenings(r, maxRounds)
		p.Queries[i].Layers = decodeOpenings(r, maxLayers)
	}
	if err := r.Done(); err != nil {
		return nil, &Error{Check: "decode", Query: -1, Msg: err.Error()}
	}
	return p, nil
}

func decodeOpenings(r *codec.Reader, max int) []merkle.Opening {
	n := r.Len("openings", max, 8)
	os := make([]merkle.Opening, n)
	for i := range os {
		m := r.Len("opened rows", maxMatrices, 4)
		os[i].Rows = make([][]field.Elem, m)
		for j := range os[i].Rows {
			os[i].Rows[j] = r.Elems("row", maxRowWidth)
		}
		os[i].Path = r.Digests("path", maxPathDepth)
	}
	return os
}
