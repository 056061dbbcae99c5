package fri

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/transcript"
)

// Params are the engine's proof parameters (configuration keys engine.*, less the
// workers and the floors): the one type from the configuration (sdk/config's
// Engine.FRI) through the plugin protocol (sdk/backend.Params) to the envelope
// (sdk/envelope.Params, whose JSON is these tags), validated by Validate.
type Params struct {
	LogBlowup       int `json:"log_blowup"`         // LDE blowup 2^LogBlowup, 1..4
	NumQueries      int `json:"num_queries"`        // queries, 1..400
	GrindingBits    int `json:"grinding_bits"`      // proof-of-work bits before the queries, 0..24 (transcript.MaxBits)
	LogArity        int `json:"fri_log_arity"`      // folding arity 2^LogArity per committed layer, 1..4
	LogFinalPolyLen int `json:"log_final_poly_len"` // folding stops at 2^LogFinalPolyLen coefficients, 0..10
	// LogUpGrindingBits and DEEPGrindingBits are the proof-of-work bits the STARK grinds
	// before drawing its LogUp challenges (α and the β's) and before drawing the
	// out-of-domain point ζ, 0..24 each (engine.logup_grinding_bits,
	// engine.deep_grinding_bits): each divides that round's error by 2^bits (soundcalc's
	// grinding_deep). FRI itself does not grind on them; they are here because Params is
	// the engine's parameter set, which ObserveParams absorbs and the STARK reads
	// through pcs.Scheme.Grinding.
	LogUpGrindingBits int `json:"logup_grinding_bits"`
	DEEPGrindingBits  int `json:"deep_grinding_bits"`
	// ZK turns on the zero-knowledge mode (engine.zk): commitments made with randomness
	// are salted (SaltElems random elements per leaf), and the STARK masks what it
	// commits (see docs/security.md, "What a proof hides").
	ZK bool `json:"zk"`
	// ExtDegree is the degree of the extension field the challenges, the LogUp columns,
	// the quotient and the openings live in (engine.ext_degree): 4 (the zero value means
	// 4) or 6, which the 128-bit preset needs (docs/security-computation.md).
	ExtDegree int `json:"ext_degree"`
	// Hash is the Merkle trees' and the transcript's hash (engine.hash): hash.Narrow (the
	// zero value: Poseidon2 width 16, 8-element digests) or hash.Wide (width 24,
	// 12-element digests), which the 128-bit preset needs.
	Hash hash.Scheme `json:"hash"`
}

// Ext is the extension's degree: ExtDegree, or 4 for the zero value.
func (p Params) Ext() int {
	if p.ExtDegree == 0 {
		return field.ExtDegree4
	}
	return p.ExtDegree
}

// DefaultParams are the embedded defaults of configs/oneiros.default.yaml: 203 queries
// at rate 1/2 with 16 bits of grinding give the query phase ⌊203·log2(4/3)⌋ + 16 = 100
// bits in the unique-decoding regime (provable), 219 conjectured; folding by 4 keeps
// the proof near the size of the former 100-query, fold-by-2 default. 12 bits of
// grinding before the LogUp challenges and 8 before ζ keep those rounds at ≥ 100
// provable bits up to a segment with every chip at 2^22 rows (without them a
// 2^20-row segment has 92 and 97; see docs/security-computation.md).
var DefaultParams = Params{LogBlowup: 1, NumQueries: 203, GrindingBits: 16, LogArity: 2, LogFinalPolyLen: 3,
	LogUpGrindingBits: 12, DEEPGrindingBits: 8, ExtDegree: 4}

// Bound is the allowed range of an integer parameter, by its configuration key (the
// part after "engine."): the one place the ranges are written. sdk/config's schema reads
// them for its line-numbered messages; Validate checks them.
type Bound struct {
	Key    string
	Lo, Hi int
	field  func(*Params) *int
}

// Bounds lists the integer parameters' ranges.
var Bounds = []Bound{
	{"log_blowup", 1, 4, func(p *Params) *int { return &p.LogBlowup }},
	{"num_queries", 1, 400, func(p *Params) *int { return &p.NumQueries }},
	{"grinding_bits", 0, transcript.MaxBits, func(p *Params) *int { return &p.GrindingBits }},
	{"fri_log_arity", 1, 4, func(p *Params) *int { return &p.LogArity }},
	{"log_final_poly_len", 0, 10, func(p *Params) *int { return &p.LogFinalPolyLen }},
	{"logup_grinding_bits", 0, transcript.MaxBits, func(p *Params) *int { return &p.LogUpGrindingBits }},
	{"deep_grinding_bits", 0, transcript.MaxBits, func(p *Params) *int { return &p.DEEPGrindingBits }},
}

// BoundOf returns the range of the parameter with the given key (it panics for a key
// Bounds does not list: a programming error).
func BoundOf(key string) Bound {
	for _, b := range Bounds {
		if b.Key == key {
			return b
		}
	}
	panic("fri: no bound for " + key)
}

// Validate checks every parameter's range.
func (p Params) Validate() error {
	for _, b := range Bounds {
		if v := *b.field(&p); v < b.Lo || v > b.Hi {
			return fmt.Errorf("fri: %s = %d outside [%d, %d]", b.Key, v, b.Lo, b.Hi)
		}
	}
	if p.ExtDegree != 0 && !field.ValidExtDegree(p.ExtDegree) {
		return fmt.Errorf("fri: ext_degree = %d, want 4 or 6", p.ExtDegree)
	}
	if !p.Hash.Valid() {
		return fmt.Errorf("fri: hash %v, want %s, %s or %s", p.Hash, hash.NameNarrow, hash.NameWide, hash.NameOuter)
	}
	return nil
}
