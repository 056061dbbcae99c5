package fri

import (
	"cmp"
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/codec"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/merkle"
)

// Proof is the FRI part of a proof: the folded layers' commitments, the final
// polynomial, the proof-of-work nonce, and per query the openings of the input
// commitments and of every layer.
type Proof struct {
	LayerRoots []hash.Node
	FinalPoly  []field.Ext
	Nonce      field.Elem
	Queries    []QueryProof
	// Salted says the openings carry salts (zero-knowledge mode). It is not encoded: the
	// verifier's parameters say it (DecodeParams).
	Salted bool
	// Ext is the extension's degree (Params.Ext) and Hash the commitments' hash
	// (Params.Hash), likewise not encoded.
	Ext  int
	Hash hash.Scheme
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
	maxSalt      = 16
)

// Encode serializes the proof.
func (p *Proof) Encode() []byte {
	var w codec.Writer
	w.Nodes(p.LayerRoots, p.Hash)
	w.Exts(p.FinalPoly, cmp.Or(p.Ext, field.ExtDegree4))
	w.Elem(p.Nonce)
	w.Uint32(uint32(len(p.Queries)))
	for _, q := range p.Queries {
		encodeOpenings(&w, q.Inputs, p.Salted, p.Hash)
		encodeOpenings(&w, q.Layers, p.Salted, p.Hash)
	}
	return w.Buf
}

// encodeOpenings writes each opening's rows, then (salted) one salt per row, empty for
// an unsalted matrix, then its path.
func encodeOpenings(w *codec.Writer, os []merkle.Opening, salted bool, s hash.Scheme) {
	w.Uint32(uint32(len(os)))
	for _, o := range os {
		w.Uint32(uint32(len(o.Rows)))
		for _, r := range o.Rows {
			w.Elems(r)
		}
		if salted {
			for i := range o.Rows {
				var salt []field.Elem
				if o.Salts != nil {
					salt = o.Salts[i]
				}
				w.Elems(salt)
			}
		}
		w.Nodes(o.Path, s)
	}
}

// Decode parses a proof made without zero knowledge; it never panics and bounds every
// allocation by the input size.
func Decode(b []byte) (*Proof, error) { return DecodeParams(b, Params{}) }

// DecodeParams parses a proof made under parameters p (whose ZK says whether openings
// carry salts); it never panics and bounds every allocation by the input size.
func DecodeParams(b []byte, params Params) (*Proof, error) {
	// Only ZK, the extension's degree and the hash shape the encoding; the others may
	// be zero here.
	if (params.ExtDegree != 0 && !field.ValidExtDegree(params.ExtDegree)) || !params.Hash.Valid() {
		return nil, &Error{Check: "decode", Query: -1, Msg: fmt.Sprintf("parameters: extension degree %d, hash %v", params.ExtDegree, params.Hash)}
	}
	r := codec.NewReader(b)
	p := &Proof{Salted: params.ZK, Ext: params.Ext(), Hash: params.Hash}
	p.LayerRoots = r.Nodes("layer roots", p.Hash, maxLayers)
	p.FinalPoly = r.Exts("final polynomial", p.Ext, maxFinal)
	p.Nonce = r.Elem()
	nq := r.Len("queries", maxQueries, 8)
	p.Queries = make([]QueryProof, nq)
	for i := range p.Queries {
		p.Queries[i].Inputs = decodeOpenings(r, maxRounds, p.Salted, p.Hash)
		p.Queries[i].Layers = decodeOpenings(r, maxLayers, p.Salted, p.Hash)
	}
	if err := r.Done(); err != nil {
		return nil, &Error{Check: "decode", Query: -1, Msg: err.Error()}
	}
	return p, nil
}

func decodeOpenings(r *codec.Reader, max int, salted bool, s hash.Scheme) []merkle.Opening {
	n := r.Len("openings", max, 8)
	os := make([]merkle.Opening, n)
	for i := range os {
		m := r.Len("opened rows", maxMatrices, 4)
		os[i].Rows = make([][]field.Elem, m)
		for j := range os[i].Rows {
			os[i].Rows[j] = r.Elems("row", maxRowWidth)
		}
		if salted {
			any := false
			salts := make([][]field.Elem, m)
			for j := range salts {
				salts[j] = r.Elems("salt", maxSalt)
				any = any || len(salts[j]) > 0
			}
			if any { // a tree without salted matrices opens no salts (merkle.Opening)
				os[i].Salts = salts
			}
		}
		os[i].Path = r.Nodes("path", s, maxPathDepth)
	}
	return os
}
