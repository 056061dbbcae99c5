package fri

import "fmt"

// Params are the FRI parameters (configuration keys engine.*).
type Params struct {
	LogBlowup       int // LDE blowup 2^LogBlowup, 1..4
	NumQueries      int // queries, 1..400
	GrindingBits    int // proof-of-work bits before the queries, 0..30
	LogArity        int // folding arity 2^LogArity per committed layer, 1..4
	LogFinalPolyLen int // folding stops at 2^LogFinalPolyLen coefficients, 0..10
}

// DefaultParams are the embedded defaults of configs/oneiros.default.yaml.
var DefaultParams = Params{LogBlowup: 1, NumQueries: 100, GrindingBits: 16, LogArity: 1, LogFinalPolyLen: 3}

// Validate checks every parameter's range.
func (p Params) Validate() error {
	check := func(name string, v, lo, hi int) error {
		if v < lo || v > hi {
			return fmt.Errorf("fri: %s = %d outside [%d, %d]", name, v, lo, hi)
		}
		return nil
	}
	for _, c := range []struct {
		name      string
		v, lo, hi int
	}{
		{"log_blowup", p.LogBlowup, 1, 4},
		{"num_queries", p.NumQueries, 1, 400},
		{"grinding_bits", p.GrindingBits, 0, 30},
		{"fri_log_arity", p.LogArity, 1, 4},
		{"log_final_poly_len", p.LogFinalPolyLen, 0, 10},
	} {
		if err := check(c.name, c.v, c.lo, c.hi); err != nil {
			return err
		}
	}
	return nil
}

// Security bounds that do not depend on the parameters.
const (
	// ExtFieldBits is ⌊log2 |F_p^4|⌋ = ⌊4·log2(2^31 − 2^24 + 1)⌋.
	ExtFieldBits = 123
	// HashCollisionBits is half the digest size (8 elements of 31 bits).
	HashCollisionBits = 124
)

// ConjecturedSecurity returns the conjectured security in bits of a proof whose tallest
// LDE has 2^logMaxLDE points, with the usual conjecture for FRI over Reed–Solomon codes
// (as in ethSTARK and winterfell): each query gives LogBlowup bits, grinding adds
// GrindingBits, and the result is capped by the extension field size less the log of
// the LDE size (DEEP and out-of-domain sampling), less one bit, and by the hash's
// collision resistance.
func (p Params) ConjecturedSecurity(logMaxLDE int) int {
	query := p.LogBlowup*p.NumQueries + p.GrindingBits
	fieldBits := ExtFieldBits - logMaxLDE
	return min(min(query, fieldBits)-1, HashCollisionBits)
}
