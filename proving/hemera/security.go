package hemera

import (
	"fmt"
	"math"
	"slices"

	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// Term is the security of one round of the protocol in one regime: an attacker wins that
// round with probability at most 2^−Bits per attempt (round-by-round soundness, as in
// soundcalc: the Fiat–Shamir proof is as strong as its weakest round).
type Term struct {
	Name   string     `json:"name"`
	Regime fri.Regime `json:"regime"`
	Bits   int        `json:"bits"`
	Detail string     `json:"detail,omitempty"`
}

// Security is the accounting of a proof's soundness, term by term.
type Security struct {
	// Conjectured is the weakest term under the ethSTARK conjecture.
	Conjectured int `json:"conjectured_bits"`
	// Provable is the better of the two proven regimes' weakest terms.
	Provable int `json:"provable_bits"`
	// ProvableRegime is the regime that gives Provable.
	ProvableRegime fri.Regime `json:"provable_regime"`
	// Terms lists every term of every regime (fri.Regimes order).
	Terms []Term `json:"terms"`
}

// TableShape is what the accounting needs of one table of a proof.
type TableShape struct {
	Name         string
	LogN         int // log2 of the height; stark.Absent for a table left out
	Prep         int // committed preprocessed base-field columns
	Main         int // main trace columns
	Aux          int // LogUp extension-field columns (d base columns each, d the extension's degree)
	LogQuot      int // log2 of the number of quotient chunks (an extension-field column each)
	Constraints  int // AIR and LogUp constraints
	Degree       int // the largest constraint degree (AIR and LogUp)
	Interactions int // LogUp interactions per row
	MaxTuple     int // the longest interaction tuple
}

// Shape is what the accounting needs of a proof: its tables and its public bus messages.
type Shape struct {
	Tables   []TableShape
	Messages int // public bus messages (boundary terms the verifier adds)
	MaxTuple int // the longest public message's tuple
}

// ShapeOf reads the shape of a proof with table heights logN off its verifying key.
func ShapeOf(vk *stark.VerifyingKey, logN []int, bus []lookup.Message) Shape {
	s := Shape{Messages: len(bus)}
	for _, m := range bus {
		s.MaxTuple = max(s.MaxTuple, len(m.Tuple))
	}
	for t, a := range vk.AIRs {
		l := vk.Layouts[t]
		ts := TableShape{Name: a.Name, LogN: stark.Absent, Interactions: len(a.Interactions)}
		if t < len(logN) {
			ts.LogN = logN[t]
		}
		ts.Prep, ts.Main, ts.Aux, ts.LogQuot = len(a.Prep), len(a.Main), l.NumAux(), vk.LogQuot[t]
		ts.Constraints = len(a.Constraints) + l.NumConstraints()
		ts.Degree = max(a.MaxConstraintDegree(), 2)
		if l.NumAux() > 0 {
			ts.Degree = max(ts.Degree, l.MaxDegree(a))
		}
		for _, it := range a.Interactions {
			ts.MaxTuple = max(ts.MaxTuple, len(it.Tuple))
		}
		s.Tables = append(s.Tables, ts)
	}
	return s
}

// Analyze computes the security of a proof of the given shape under FRI parameters p,
// in the three regimes of fri.Regimes.
//
// The conjectured regime is the ethSTARK conjecture as usually quoted: the query phase
// (log_blowup bits per query, plus grinding), the field against the largest evaluation
// domain, and the hash. The proven regimes (unique decoding, Johnson bound) count every
// round:
//
//   - FRI batching, commit phase and query phase (package fri's Rounds), on the LDE
//     heights of the present tables; one batched function per committed column;
//   - DEEP: the out-of-domain point ζ is a root of no table's identity, union over tables
//     of L·(d·(n + m − 1) + n − 1)/(|F| − n − |D|) with m = 2 opening points (ζ, ζ·ω),
//     d the table's constraint degree, n its height, D its evaluation domain, L the
//     regime's list size (Haböck, ePrint 2022/1216, Theorem 8, as soundcalc), times
//     2^−DEEPGrindingBits: the proof of work before ζ makes each draw of ζ cost the
//     attacker 2^bits hashes (soundcalc's grinding_deep);
//   - ALI: the powers of α combine the constraints, L·Σ constraints/|F| (same source);
//   - LogUp: one α and an independent β per tuple position for every bus: each
//     fingerprint is affine in (α, β), so the bus identity cleared of denominators has
//     degree < M, and no fingerprint of the committed tuples may vanish (≤ M more
//     roots): 2·M/|F| with M = Σ height × interactions + public messages
//     (Schwartz–Zippel), times 2^−LogUpGrindingBits (the proof of work before α, β);
//   - hash: Poseidon2's collision resistance (Merkle trees and the transcript).
//
// In zero-knowledge mode (p.ZK) the heights are the committed ones (stark.ZKShape): main
// and LogUp columns, with the LogUp blinding column, on 2^ext times the table's height,
// the quotient chunks on 2^qext times it, and the low-degree test's random mask
// (fri.Params.MaskLogN). The FRI rounds and the conjectured field term count those
// domains, and DEEP counts the degree bound the low-degree test enforces on a masked
// column (the committed height, not n): a cheating prover may commit any polynomial of
// that degree, so the identity at ζ has degree d·(n' + m − 1) + n' − 1 with n' the
// table's tallest committed height. ALI and LogUp are unchanged (the constraints and
// the bus sum are over the n rows of the trace domain; blinding adds no fraction).
func Analyze(p fri.Params, s Shape) Security {
	rho := math.Exp2(-float64(p.LogBlowup))
	var logLDEs, functions []int
	M := float64(s.Messages)
	k := s.MaxTuple
	var deep, ali []float64 // per-table error numerators (before L and |F|)
	dg, logF := p.Ext(), p.LogField()
	tables := 0
	tallest := 0 // the tallest committed matrix, before the blowup (zero knowledge)
	for _, t := range s.Tables {
		if t.LogN < 0 {
			continue
		}
		tables++
		n := math.Exp2(float64(t.LogN))
		deg := n // the degree bound of a committed column
		if p.ZK {
			ext, logChunks, qext, _ := stark.ZKShape(t.Degree, t.LogN, p.LogBlowup, p.NumQueries)
			trace := t.Main + dg*t.Aux
			if t.Interactions > 0 {
				trace += stark.BlindingColumns(dg)
			}
			if t.Prep > 0 {
				logLDEs, functions = append(logLDEs, t.LogN+p.LogBlowup), append(functions, t.Prep)
			}
			logLDEs = append(logLDEs, t.LogN+ext+p.LogBlowup, t.LogN+qext+p.LogBlowup)
			functions = append(functions, trace, dg<<logChunks)
			tallest = max(tallest, t.LogN+ext, t.LogN+qext)
			deg = math.Exp2(float64(t.LogN + max(ext, qext)))
		} else {
			logLDEs = append(logLDEs, t.LogN+p.LogBlowup)
			functions = append(functions, t.Prep+t.Main+dg*t.Aux+dg<<t.LogQuot)
		}
		// soundcalc's denominator |F| − n − |D| is |F| to float precision (n, |D| ≤ 2^27).
		deep = append(deep, float64(t.Degree)*(deg+2-1)+deg-1)
		ali = append(ali, float64(t.Constraints))
		M += n * float64(t.Interactions)
		k = max(k, t.MaxTuple)
	}
	if tables == 0 {
		// A proof without any table proves nothing (and has no round to account):
		// zero bits in every regime, which every floor refuses. Untrusted bytes can
		// name such a shape; the accounting must not fail on it.
		var sec Security
		for _, r := range fri.Regimes {
			sec.Terms = append(sec.Terms, Term{Name: "shape", Regime: r, Detail: "a proof without any table"})
		}
		sec.ProvableRegime = fri.UniqueDecoding
		return sec
	}
	if p.ZK { // the low-degree test's mask: d columns
		logLDEs, functions = append(logLDEs, p.MaskLogN(tallest)+p.LogBlowup), append(functions, dg)
	}
	var sec Security
	best := map[fri.Regime]int{}
	for _, r := range fri.Regimes {
		L := fri.ListSize(r, rho)
		var terms []Term
		add := func(name string, logErr float64, detail string) {
			terms = append(terms, Term{Name: name, Regime: r, Bits: fri.Bits(logErr), Detail: detail})
		}
		if r == fri.Conjectured {
			// The ethSTARK conjecture (toy problem): the queries, and the field against the
			// largest evaluation domain (out-of-domain sampling and folding), as quoted by
			// ethSTARK, winterfell and soundcalc's "best attack".
			rd := p.Rounds(r, logLDEs, functions)
			q := rd[len(rd)-1]
			add(q.Name, q.LogErr, q.Detail)
			logD := slices.Max(append(logLDEs, 0))
			add("field", float64(logD)-logF, fmt.Sprintf("|F| = 2^%.2f against an evaluation domain of 2^%d points", logF, logD))
			add("hash", -float64(p.Hash.CollisionBits()), hashDetail(p))
			best[r] = lowest(terms)
			sec.Terms = append(sec.Terms, terms...)
			continue
		}
		for _, rd := range p.Rounds(r, logLDEs, functions) {
			add(rd.Name, rd.LogErr, rd.Detail)
		}
		add("DEEP", math.Log2(L*sum(deep))-logF-float64(p.DEEPGrindingBits),
			fmt.Sprintf("out-of-domain point over %d tables, list size %.3g, %d grinding bits", tables, L, p.DEEPGrindingBits))
		add("ALI", math.Log2(L*max(sum(ali), 1))-logF,
			fmt.Sprintf("%.0f constraints combined by powers of α", sum(ali)))
		if M > 0 {
			add("LogUp", math.Log2(2*M)-logF-float64(p.LogUpGrindingBits),
				fmt.Sprintf("%.4g fractions, tuples of ≤ %d elements, one β per position, %d grinding bits", M, k, p.LogUpGrindingBits))
		}
		add("hash", -float64(p.Hash.CollisionBits()), hashDetail(p))
		best[r] = lowest(terms)
		sec.Terms = append(sec.Terms, terms...)
	}
	sec.Conjectured = best[fri.Conjectured]
	sec.Provable, sec.ProvableRegime = best[fri.UniqueDecoding], fri.UniqueDecoding
	if best[fri.Johnson] > sec.Provable {
		sec.Provable, sec.ProvableRegime = best[fri.Johnson], fri.Johnson
	}
	return sec
}

// hashDetail names the commitments' hash and its digest.
func hashDetail(p fri.Params) string {
	return fmt.Sprintf("Poseidon2 collisions (%s: width %d, %d × 31-bit digest)", p.Hash, p.Hash.Width(), p.Hash.DigestLen())
}

func lowest(terms []Term) int {
	low := math.MaxInt
	for _, t := range terms {
		low = min(low, t.Bits)
	}
	return low
}

func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

// Weakest returns the weakest term of a regime.
func (s Security) Weakest(r fri.Regime) Term {
	var w Term
	w.Bits = math.MaxInt
	for _, t := range s.Terms {
		if t.Regime == r && t.Bits < w.Bits {
			w = t
		}
	}
	return w
}
