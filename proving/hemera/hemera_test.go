package hemera_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// analyze is the accounting of a one-table proof of tb's shape under p.
func analyze(t *testing.T, p hemera.Params, tb starktest.Table) hemera.Security {
	t.Helper()
	e, _, vk, w := setup(t, p, tb)
	return e.Security(vk, []int{logHeight(w.Main[0])}, nil)
}

func logHeight(m [][]field.Elem) int {
	l := 0
	for 1<<l < len(m[0]) {
		l++
	}
	return l
}

// The accounting has every term in every regime, and its totals are the weakest terms.
func TestSecurityTerms(t *testing.T) {
	s := analyze(t, hemera.DefaultParams, starktest.Fib(10))
	names := map[fri.Regime][]string{}
	for _, tm := range s.Terms {
		names[tm.Regime] = append(names[tm.Regime], tm.Name)
	}
	want := map[fri.Regime]string{
		fri.Conjectured:    "FRI query phase,field,hash",
		fri.UniqueDecoding: "FRI batching,FRI commit phase,FRI query phase,DEEP,ALI,hash",
		fri.Johnson:        "FRI batching,FRI commit phase,FRI query phase,DEEP,ALI,hash",
	}
	for r, w := range want {
		if got := strings.Join(names[r], ","); got != w {
			t.Errorf("%s terms: %s, want %s", r, got, w)
		}
	}
	if s.Conjectured != s.Weakest(fri.Conjectured).Bits || s.Provable != s.Weakest(s.ProvableRegime).Bits {
		t.Errorf("totals %d/%d are not the weakest terms", s.Conjectured, s.Provable)
	}
	if s.Provable > s.Conjectured {
		t.Errorf("provable %d > conjectured %d", s.Provable, s.Conjectured)
	}
	p := hemera.DefaultParams.FRI
	// The conjectured query term is log_blowup·num_queries + grinding_bits; unique
	// decoding's is num_queries·log2(2/(1+ρ)) + grinding_bits.
	rho := math.Exp2(-float64(p.LogBlowup))
	want2 := map[fri.Regime]int{
		fri.Conjectured:    p.LogBlowup*p.NumQueries + p.GrindingBits,
		fri.UniqueDecoding: int(math.Floor(float64(p.NumQueries)*math.Log2(2/(1+rho)))) + p.GrindingBits,
	}
	for _, tm := range s.Terms {
		if w, ok := want2[tm.Regime]; ok && tm.Name == "FRI query phase" && tm.Bits != w {
			t.Errorf("%s query phase: %d bits, want %d", tm.Regime, tm.Bits, w)
		}
	}
	// The defaults' queries alone give ≥ 100 bits in unique decoding: what binds the
	// provable total of big proofs is the field (batching, DEEP, LogUp), not the queries.
	if want2[fri.UniqueDecoding] < 100 {
		t.Errorf("default query phase: %d provable bits, want ≥ 100", want2[fri.UniqueDecoding])
	}
	if s.Conjectured < 100 || s.Provable < 100 {
		t.Errorf("a 2^10-row Fibonacci proof on the defaults: %d conjectured, %d provable bits, want ≥ 100", s.Conjectured, s.Provable)
	}
}

// A bigger trace loses bits to the field-size terms, and the LogUp term grows with the
// number of interactions.
func TestSecurityScalesWithHeight(t *testing.T) {
	e0, _, vk0, _ := setup(t, hemera.DefaultParams, starktest.Wide(8, 64, 6))
	small, big := e0.Security(vk0, []int{8}, nil), e0.Security(vk0, []int{20}, nil) // the shape is enough
	deep := func(s hemera.Security) int {
		for _, tm := range s.Terms {
			if tm.Name == "DEEP" && tm.Regime == fri.UniqueDecoding {
				return tm.Bits
			}
		}
		return 0
	}
	// The query phase binds both at 100 provable bits; the field terms shrink.
	if big.Provable > small.Provable || big.Conjectured >= small.Conjectured || deep(big) >= deep(small) {
		t.Errorf("2^8 rows: %d/%d bits (DEEP %d), 2^20 rows: %d/%d bits (DEEP %d)", small.Conjectured, small.Provable, deep(small), big.Conjectured, big.Provable, deep(big))
	}
	bytesT, counts := starktest.Bytes(6, 8)
	e, err := hemera.New(hemera.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	r := starktest.Range8(counts)
	_, vk, err := e.Setup([]*air.AIR{bytesT.AIR, r.AIR}, [][][]field.Elem{nil, r.Prep})
	if err != nil {
		t.Fatal(err)
	}
	logup := func(logN int) int {
		for _, tm := range e.Security(vk, []int{logN, 8}, nil).Terms {
			if tm.Name == "LogUp" && tm.Regime == fri.UniqueDecoding {
				return tm.Bits
			}
		}
		t.Fatal("no LogUp term")
		return 0
	}
	// 2^6 rows × 1 interaction + 2^8 × 1: M ≈ 2^8.3, 2·M/|F| ≈ 2^−114.6, less the grinding.
	if a, b := logup(6), logup(16); b >= a || a > 123-9+hemera.DefaultParams.FRI.LogUpGrindingBits {
		t.Errorf("LogUp: %d bits at 2^6 rows, %d at 2^16", a, b)
	}
}

// strictParams make the conjectured floor bind at 2^8 rows: blowup 16 and 100 queries
// give 400 query bits, so the field term ⌊123.95 − (logN + 4)⌋ binds, and 111 bits
// allow logN ≤ 8.
var strictParams = hemera.Params{
	FRI:             fri.Params{LogBlowup: 4, NumQueries: 100, GrindingBits: 0, LogArity: 1, LogFinalPolyLen: 0},
	MinSecurityBits: 111,
	Workers:         2,
}

func setup(t *testing.T, p hemera.Params, tb starktest.Table) (*hemera.Engine, *stark.ProvingKey, *stark.VerifyingKey, *stark.Witness) {
	t.Helper()
	e, err := hemera.New(p)
	if err != nil {
		t.Fatal(err)
	}
	pk, vk, err := e.Setup([]*air.AIR{tb.AIR}, [][][]field.Elem{tb.Prep})
	if err != nil {
		t.Fatal(err)
	}
	return e, pk, vk, &stark.Witness{Main: [][][]field.Elem{tb.Main}, Publics: [][]field.Elem{tb.Publics}}
}

func TestProveRefusesTooTallTrace(t *testing.T) {
	e, pk, vk, w := setup(t, strictParams, starktest.Fib(8))
	proof, err := e.Prove(pk, w) // 2^8 rows: allowed
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Verify(vk, proof, w.Publics, nil); err != nil {
		t.Fatal(err)
	}
	e, pk, _, w = setup(t, strictParams, starktest.Fib(9))
	_, err = e.Prove(pk, w)
	if err == nil || !strings.Contains(err.Error(), "110 bits of conjectured security (weakest: field, 110 bits), below min_security_bits = 111, with log_blowup 4, num_queries 100, grinding_bits 0") {
		t.Errorf("2^9 rows: %v", err)
	}
}

// A proof of a trace too tall for the verifier's floor is rejected like an invalid proof,
// whoever made it.
func TestVerifyRejectsTooTallTrace(t *testing.T) {
	lenient := strictParams
	lenient.MinSecurityBits = 0
	tb := starktest.Fib(9)
	le, pk, vk, w := setup(t, lenient, tb)
	proof, err := le.Prove(pk, w)
	if err != nil {
		t.Fatal(err)
	}
	if err := le.Verify(vk, proof, w.Publics, nil); err != nil {
		t.Fatalf("the lenient engine rejects its own proof: %v", err)
	}
	strict, _, _, _ := setup(t, strictParams, tb)
	err = strict.Verify(vk, proof, w.Publics, nil)
	var se *stark.Error
	if !errors.Is(err, stark.ErrInvalidProof) || !errors.As(err, &se) || se.Check != "security" {
		t.Errorf("strict verifier: %v", err)
	}
	// A proof that claims a taller trace than it has is rejected the same way, before
	// anything else is checked.
	e, pk, vk, w := setup(t, strictParams, starktest.Fib(4))
	proof, err = e.Prove(pk, w)
	if err != nil {
		t.Fatal(err)
	}
	proof.LogN[0] = 12
	if err := e.Verify(vk, proof, w.Publics, nil); !errors.As(err, &se) || se.Check != "security" {
		t.Errorf("claimed height 2^%d: %v", proof.LogN[0], err)
	}
}

// weak are the parameters of a forged proof: one query, no proof of work.
var weak = fri.Params{LogBlowup: 1, NumQueries: 1, GrindingBits: 0, LogArity: 1, LogFinalPolyLen: 0}

// A proof made with one query and no grinding is rejected by an engine that has the
// default floor, whatever parameters that engine runs with; and the provable floor
// rejects what the conjectured one lets through.
func TestFloorsRejectWeakProofs(t *testing.T) {
	tb := starktest.Fib(6)
	we, pk, vk, w := setup(t, hemera.Params{FRI: weak, Workers: 2}, tb)
	proof, err := we.Prove(pk, w)
	if err != nil {
		t.Fatal(err)
	}
	if err := we.Verify(vk, proof, w.Publics, nil); err != nil {
		t.Fatalf("the weak engine rejects its own proof: %v", err)
	}
	floor, _, _, _ := setup(t, hemera.Params{FRI: weak, MinSecurityBits: hemera.DefaultMinSecurityBits, Workers: 2}, tb)
	err = floor.Verify(vk, proof, w.Publics, nil)
	var se *stark.Error
	if !errors.As(err, &se) || se.Check != "security" || !strings.Contains(err.Error(), "num_queries 1, grinding_bits 0") {
		t.Errorf("default floor: %v", err)
	}
	if _, err := floor.Prove(pk, w); err == nil {
		t.Error("the prover at the default floor proves with one query")
	}

	// Blowup 2, 100 queries, 16 grinding bits: 116 conjectured bits but 57 provable; a
	// provable floor of 100 rejects it.
	p := hemera.Params{FRI: fri.Params{LogBlowup: 1, NumQueries: 100, GrindingBits: 16, LogArity: 1, LogFinalPolyLen: 0}, Workers: 2}
	e, pk, vk, w := setup(t, p, tb)
	proof, err = e.Prove(pk, w)
	if err != nil {
		t.Fatal(err)
	}
	p.MinSecurityBits, p.MinProvableBits = 100, 100
	strict, _, _, _ := setup(t, p, tb)
	if err := strict.Verify(vk, proof, w.Publics, nil); !errors.As(err, &se) || se.Check != "security" || !strings.Contains(err.Error(), "provable security (johnson; weakest: FRI query phase") {
		t.Errorf("provable floor: %v", err)
	}
}

// The FRI parameters are in the transcript: a proof made under parameters A does not
// verify under parameters B with the same proof shape (here only grinding differs, so
// every length matches; before the parameters were absorbed, a 0-bit verifier replayed
// the same queries and accepted).
func TestParamsBoundToTranscript(t *testing.T) {
	tb := starktest.Fib(6)
	a := fri.Params{LogBlowup: 1, NumQueries: 8, GrindingBits: 3, LogArity: 1, LogFinalPolyLen: 1}
	ea, pk, vk, w := setup(t, hemera.Params{FRI: a, Workers: 2}, tb)
	proof, err := ea.Prove(pk, w)
	if err != nil {
		t.Fatal(err)
	}
	if err := ea.Verify(vk, proof, w.Publics, nil); err != nil {
		t.Fatal(err)
	}
	for _, b := range []fri.Params{
		{LogBlowup: 1, NumQueries: 8, GrindingBits: 0, LogArity: 1, LogFinalPolyLen: 1},
		{LogBlowup: 1, NumQueries: 8, GrindingBits: 2, LogArity: 1, LogFinalPolyLen: 1},
	} {
		eb, err := hemera.New(hemera.Params{FRI: b, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		if err := eb.Verify(vk, proof, w.Publics, nil); !errors.Is(err, stark.ErrInvalidProof) {
			t.Errorf("proof under %+v verified under %+v: %v", a, b, err)
		}
	}
	// A verifying key made for another blowup is refused.
	eb, err := hemera.New(hemera.Params{FRI: fri.Params{LogBlowup: 2, NumQueries: 8, GrindingBits: 3, LogArity: 1, LogFinalPolyLen: 1}, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var se *stark.Error
	if err := eb.Verify(vk, proof, w.Publics, nil); !errors.As(err, &se) || !strings.Contains(err.Error(), "blowup") {
		t.Errorf("blowup mismatch: %v", err)
	}
}

func TestNewValidates(t *testing.T) {
	bad := func(mod func(*hemera.Params)) hemera.Params {
		p := hemera.DefaultParams
		mod(&p)
		return p
	}
	for name, p := range map[string]hemera.Params{
		"min security -1":  bad(func(p *hemera.Params) { p.MinSecurityBits = -1 }),
		"min security 129": bad(func(p *hemera.Params) { p.MinSecurityBits = 129 }),
		"min provable 129": bad(func(p *hemera.Params) { p.MinProvableBits = 129 }),
		"grinding 25":      bad(func(p *hemera.Params) { p.FRI.GrindingBits = 25 }),
		"workers -1":       bad(func(p *hemera.Params) { p.Workers = -1 }),
		"workers 1025":     bad(func(p *hemera.Params) { p.Workers = 1025 }),
		"blowup 0":         bad(func(p *hemera.Params) { p.FRI.LogBlowup = 0 }),
	} {
		if _, err := hemera.New(p); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	if _, err := hemera.New(hemera.DefaultParams, hemera.WithKernels(nil)); err == nil {
		t.Error("nil kernels accepted")
	}
	k := cpu.New(3)
	e, err := hemera.New(hemera.DefaultParams, hemera.WithKernels(k))
	if err != nil || e.Kernels() != k {
		t.Errorf("WithKernels: %v", err)
	}
	e, err = hemera.New(hemera.DefaultParams)
	if err != nil || e.Params().Workers < 1 || e.Kernels().Name() != "cpu" || e.Config().Workers != e.Params().Workers {
		t.Errorf("defaults: %+v, %v", e.Params(), err)
	}
}

// In zero-knowledge mode the accounting counts the committed heights: the conjectured
// field term is against the tallest committed domain (the masked trace, the quotient
// chunks or the low-degree test's mask, stark.ZKShape and fri.Params.MaskLogN), the FRI
// batching spans it, and DEEP loses the bits of the taller degree bound.
func TestSecurityZKCountsCommittedHeights(t *testing.T) {
	zp := hemera.DefaultParams
	zp.FRI.ZK = true
	tb := starktest.Wide(8, 64, 6)
	e, _, vk, _ := setup(t, hemera.DefaultParams, tb)
	ez, _, vkz, _ := setup(t, zp, tb)
	term := func(s hemera.Security, r fri.Regime, name string) hemera.Term {
		for _, tm := range s.Terms {
			if tm.Regime == r && tm.Name == name {
				return tm
			}
		}
		t.Fatalf("no %s term in %s", name, r)
		return hemera.Term{}
	}
	for _, logN := range []int{4, 12, 20} {
		plain, zk := e.Security(vk, []int{logN}, nil), ez.Security(vkz, []int{logN}, nil)
		deg := hemera.ShapeOf(vkz, []int{logN}, nil).Tables[0].Degree
		ext, _, qext, ok := stark.ZKShape(deg, logN, zp.FRI.LogBlowup, zp.FRI.NumQueries)
		if !ok {
			t.Fatalf("2^%d rows: too tall", logN)
		}
		tallest := logN + max(ext, qext)
		logD := max(tallest, zp.FRI.MaskLogN(tallest)) + zp.FRI.LogBlowup
		if got, want := term(zk, fri.Conjectured, "field").Bits, fri.Bits(float64(logD)-fri.LogExtField(4)); got != want {
			t.Errorf("2^%d rows, zero knowledge: field term %d bits, want %d (a domain of 2^%d points)", logN, got, want, logD)
		}
		if got, want := term(plain, fri.Conjectured, "field").Bits, fri.Bits(float64(logN+1)-fri.LogExtField(4)); got != want {
			t.Errorf("2^%d rows: field term %d bits, want %d", logN, got, want)
		}
		if d := term(zk, fri.UniqueDecoding, "FRI batching").Detail; !strings.Contains(d, fmt.Sprintf("≤ 2^%d points", logD)) {
			t.Errorf("2^%d rows, zero knowledge: batching %q, want domains of up to 2^%d points", logN, d, logD)
		}
		if a, b := term(plain, fri.UniqueDecoding, "DEEP").Bits, term(zk, fri.UniqueDecoding, "DEEP").Bits; b >= a {
			t.Errorf("2^%d rows: DEEP %d bits without zero knowledge, %d with: want fewer", logN, a, b)
		}
		if zk.Conjectured > plain.Conjectured || zk.Provable > plain.Provable {
			t.Errorf("2^%d rows: zero knowledge %d/%d bits, plain %d/%d", logN, zk.Conjectured, zk.Provable, plain.Conjectured, plain.Provable)
		}
		t.Logf("2^%d rows: plain %d/%d bits, zero knowledge %d/%d (committed domain 2^%d)", logN, plain.Conjectured, plain.Provable, zk.Conjectured, zk.Provable, logD)
	}
}
