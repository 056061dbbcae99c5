package fri

import (
	"fmt"
	"math"
)

// Regime is a way of bounding the soundness error of FRI over Reed–Solomon codes. The
// regimes follow the Ethereum Foundation's soundcalc: two proven ones (unique decoding
// and the Johnson bound) and the ethSTARK conjecture.
type Regime string

const (
	// Conjectured is the ethSTARK "toy problem" conjecture (ethSTARK §5.9): each query
	// catches a cheating prover with probability 1 − ρ, and the algebraic terms are those
	// of list size 1. No proof is known; every deployed STARK quotes it.
	Conjectured Regime = "conjectured"
	// UniqueDecoding is proven (BCIKS20, Theorems 1.2 and 1.4): proximity parameter
	// δ = (1 − ρ)/2, list size 1, batching error (m − 1)·n/|F| for m functions on a domain
	// of n points.
	UniqueDecoding Regime = "unique-decoding"
	// Johnson is proven up to the Johnson bound: δ = 1 − √ρ − η with the gap η of soundcalc
	// (max(ρ/20, √ρ/100)), list size 1/(2η√ρ), and the proximity-gaps error of BCHKS25
	// Theorem 4.2 (which improves BCIKS20's Johnson-regime bound).
	Johnson Regime = "johnson"
)

// Regimes lists the regimes in report order.
var Regimes = []Regime{Conjectured, UniqueDecoding, Johnson}

// Field sizes.
var (
	// LogP is log2 of the base field's size, p = 2^31 − 2^24 + 1.
	LogP = math.Log2(2130706433)
)

// LogField is log2 of the size of the extension the challenges are drawn from: ≈ 123.95
// for degree 4, ≈ 185.93 for degree 6.
func (p Params) LogField() float64 { return LogExtField(p.Ext()) }

// LogExtField is log2 |F_p^d|.
func LogExtField(d int) float64 { return float64(d) * LogP }

// gap is the Johnson regime's distance η to the Johnson bound 1 − √ρ, as in soundcalc
// for fields below 2^150.
func gap(rho float64) float64 { return max(rho/20, math.Sqrt(rho)/100) }

// Proximity is the proximity parameter δ of a regime at rate ρ.
func Proximity(r Regime, rho float64) float64 {
	switch r {
	case UniqueDecoding:
		return (1 - rho) / 2
	case Johnson:
		return 1 - math.Sqrt(rho) - gap(rho)
	}
	return 1 - rho
}

// ListSize is the list size L of a regime (how many codewords a word may be close to):
// it multiplies the DEEP and ALI errors.
func ListSize(r Regime, rho float64) float64 {
	if r == Johnson {
		return 1 / (2 * gap(rho) * math.Sqrt(rho))
	}
	return 1
}

// LogLinearError is log2 of the error of one random linear combination of two
// functions on an evaluation domain of 2^logD points at rate ρ (the proximity-gaps
// error): a word far from the code stays far, except with this probability.
func LogLinearError(r Regime, rho float64, logD int, logF float64) float64 {
	n := math.Exp2(float64(logD))
	if r != Johnson {
		return float64(logD) - logF // n/|F|
	}
	// BCHKS25 Theorem 4.2, with m = max(⌈√ρ/η⌉, 3) and δ = 1 − √ρ − η.
	s := math.Sqrt(rho)
	eta := gap(rho)
	m := max(math.Ceil(s/eta), 3) + 0.5
	delta := Proximity(Johnson, rho)
	num := (2*math.Pow(m, 5) + 3*m*delta*rho) * n / (3 * rho * s)
	return math.Log2(num+m/s) - logF
}

// LogPowersError is log2 of the error of combining k functions with the powers of one
// challenge (1, λ, λ², …): (k − 1) times the linear error (BCIKS20 Theorem 1.5).
func LogPowersError(r Regime, rho float64, logD, k int, logF float64) float64 {
	return LogLinearError(r, rho, logD, logF) + math.Log2(float64(max(k-1, 1)))
}

// LogAffineError is log2 of the error of batching with independent coefficients (one
// per function) on each of the LDE heights logDs: a uniformly random point of the
// functions' span is as far from the code as the span, except with the line error,
// whatever the number of functions (BCIKS20 Theorem 1.6 for affine spaces, which has
// the error of Theorem 1.4 for lines; soundcalc's "affine batching"). The coefficient
// of each height's first function is random rather than 1, which adds 1/|F| (a zero
// first coefficient) per height, and the heights' batches add up (union bound).
func LogAffineError(r Regime, rho float64, logDs []int, logF float64) float64 {
	sum := 0.0
	for _, h := range logDs {
		sum += math.Exp2(LogLinearError(r, rho, h, logF)) + math.Exp2(-logF)
	}
	return math.Log2(sum)
}

// LogQueryError is log2 of the query phase's error, grinding included: (1 − δ)^q·2^−g.
func (p Params) LogQueryError(r Regime) float64 {
	rho := math.Exp2(-float64(p.LogBlowup))
	return float64(p.NumQueries)*math.Log2(1-Proximity(r, rho)) - float64(p.GrindingBits)
}

// Bits turns a log2 error into bits of security: ⌊−log2 ε⌋, at least 0.
func Bits(logErr float64) int { return max(int(math.Floor(-logErr)), 0) }

// Round is the soundness of one round of a FRI run.
type Round struct {
	Name   string
	LogErr float64
	Detail string
}

// Rounds returns the error of every round of a FRI run that opens LDEs of the given log
// sizes (2^logLDE points each; functions[i] functions, one per opened column, batched
// at logLDEs[i]) in regime r: the batching of the opened functions into one DEEP
// quotient per height (independent coefficients: LogAffineError), each committed
// folding layer (its arity's powers of β, plus γ when a shorter height rolls in), and
// the query phase.
func (p Params) Rounds(r Regime, logLDEs []int, functions []int) []Round {
	rho := math.Exp2(-float64(p.LogBlowup))
	if len(logLDEs) == 0 {
		return nil
	}
	total := 0
	for _, f := range functions {
		total += f
	}
	sch := newSchedule(p, logLDEs)
	rr := r
	if r == Conjectured {
		rr = UniqueDecoding // the conjecture's algebraic terms are those of list size 1
	}
	out := []Round{{
		Name:   "FRI batching",
		LogErr: LogAffineError(rr, rho, sch.heights, p.LogField()),
		Detail: fmt.Sprintf("%d functions, independent coefficients, on %d heights of ≤ 2^%d points", total, len(sch.heights), sch.logMax),
	}}
	rollIn := map[int]bool{}
	for _, h := range sch.heights[1:] {
		rollIn[h] = true
	}
	cur := sch.logMax
	worst := Round{Name: "FRI commit phase", LogErr: math.Inf(-1)}
	for l, a := range sch.arities {
		cur -= a
		k := 1 << a
		if rollIn[cur] {
			k++
		}
		e := LogPowersError(rr, rho, cur, k, p.LogField())
		if e > worst.LogErr {
			worst.LogErr = e
			worst.Detail = fmt.Sprintf("%d folding rounds; worst: round %d folds by %d onto 2^%d points", len(sch.arities), l+1, 1<<a, cur)
		}
	}
	if len(sch.arities) > 0 {
		out = append(out, worst)
	}
	q := Round{Name: "FRI query phase", LogErr: p.LogQueryError(r)}
	rhoBits := -math.Log2(1 - Proximity(r, rho))
	q.Detail = fmt.Sprintf("%d queries × %.3f bits + %d grinding bits", p.NumQueries, rhoBits, p.GrindingBits)
	return append(out, q)
}

// ConjecturedSecurity returns the FRI-only conjectured security in bits of a proof
// whose tallest LDE has 2^logMaxLDE points: the query phase (LogBlowup bits per query
// plus GrindingBits), capped by the field size less the log of the LDE size and by the
// hash's collision resistance. The engine's full accounting, which also counts the
// DEEP, ALI and LogUp terms and the provable regimes, is hemera.Analyze.
func (p Params) ConjecturedSecurity(logMaxLDE int) int {
	query := p.LogBlowup*p.NumQueries + p.GrindingBits
	fieldBits := int(p.LogField()) - logMaxLDE
	return min(min(query, fieldBits)-1, p.Hash.CollisionBits())
}
