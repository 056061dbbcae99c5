package wrap

import (
	"math/big"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
	gbits "github.com/consensys/gnark/std/math/bits"
	"github.com/consensys/gnark/test"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/transcript"
)

// transcriptCircuit replays a pattern of observations and samples (duplexes made while
// observing, whose draws are never built, then samples from fresh and from pending
// input) and asserts the canonical samples and sampled bits equal Out.
type transcriptCircuit struct {
	In  []frontend.Variable
	Out []frontend.Variable
}

const transcriptObserved = 19 // two full absorptions while observing, three pending

func (c *transcriptCircuit) Define(api frontend.API) error {
	o := newOps(api)
	tr := newChallenger(o)
	var out []frontend.Variable
	in := make([]elem, len(c.In))
	for i := range in {
		in[i] = o.wit(c.In[i])
	}
	tr.observe(in[:transcriptObserved]...)
	for range 5 { // four draws of one state, then a duplex for the fifth
		out = append(out, o.f.Canonical(tr.sample()))
	}
	tr.observe(in[transcriptObserved:]...)
	out = append(out, o.f.Canonical(tr.sample()))
	out = append(out, tr.sampleBits(5)...)
	for i := range out {
		api.AssertIsEqual(out[i], c.Out[i])
	}
	return nil
}

// transcriptRun is the native transcript on the same pattern: the outputs, and the state
// the first sample draws from.
func transcriptRun(in []field.Elem) (out []frontend.Variable, first *big.Int) {
	ch := transcript.NewFor(stark.Tag, field.ExtDegree4, hash.Outer)
	ch.Observe(in[:transcriptObserved]...)
	for i := range 5 {
		x := ch.Sample()
		out = append(out, x.Uint64())
		if i == 0 {
			// The state after the duplex that absorbed the pending input.
			st := ch.OuterState()
			first = st.BigInt(new(big.Int))
		}
	}
	ch.Observe(in[transcriptObserved:]...)
	x := ch.Sample()
	out = append(out, x.Uint64())
	b := ch.SampleBits(5)
	for i := range 5 {
		out = append(out, uint64(b>>i&1))
	}
	return out, first
}

// drawsOf are the four draws of a state given as an integer (possibly s + r).
func drawsOf(s *big.Int) [4]uint64 {
	var d [4]uint64
	mask := new(big.Int).SetUint64(1<<62 - 1)
	for j := range d {
		c := new(big.Int).Rsh(s, uint(62*j))
		c.And(c, mask)
		d[j] = new(big.Int).Mod(c, big.NewInt(field.Modulus)).Uint64()
	}
	return d
}

// TestTranscriptLazyDraws: the circuit's challenger, which builds a state's draws only
// when one is sampled, gives the native transcript's samples; and a prover who answers
// the decomposition of the first sampled state s with the bits of s + r (another 254-bit
// decomposition, recomposing to s natively) to get the draws of s + r is refused.
func TestTranscriptLazyDraws(t *testing.T) {
	r := ecc.BN254.ScalarField()
	lim := new(big.Int).Lsh(big.NewInt(1), 254)
	lim.Sub(lim, r) // s < 2^254 − r has a second decomposition
	var in []field.Elem
	var want []frontend.Variable
	var s *big.Int
	for k := uint64(0); ; k++ {
		in = nil
		for i := range transcriptObserved + 2 {
			in = append(in, field.New(k*1000+uint64(i)))
		}
		want, s = transcriptRun(in)
		if s.Cmp(lim) < 0 {
			break
		}
	}
	vars := make([]frontend.Variable, len(in))
	for i := range in {
		vars[i] = in[i].Uint64()
	}
	c := &transcriptCircuit{In: make([]frontend.Variable, len(in)), Out: make([]frontend.Variable, len(want))}
	if err := test.IsSolved(c, &transcriptCircuit{In: vars, Out: want}, r); err != nil {
		t.Fatalf("honest transcript: %v", err)
	}

	// The cheater's outputs: the draws of s + r, popped last first.
	alt := drawsOf(new(big.Int).Add(s, r))
	forged := append([]frontend.Variable(nil), want...)
	for i := range 4 {
		forged[i] = alt[3-i]
	}
	if forged[0] == want[0] && forged[1] == want[1] && forged[2] == want[2] && forged[3] == want[3] {
		t.Fatal("s + r gives the same draws")
	}
	var nBits solver.Hint
	for _, h := range gbits.GetHints() {
		if strings.HasSuffix(solver.GetHintName(h), ".nBits") {
			nBits = h
		}
	}
	plusR := func(m *big.Int, hin, out []*big.Int) error {
		x := new(big.Int).Set(hin[0])
		if len(out) == 254 && x.Cmp(s) == 0 {
			x.Add(x, m)
		}
		for i := range out {
			out[i].SetUint64(uint64(x.Bit(i)))
		}
		return nil
	}
	err := test.IsSolved(c, &transcriptCircuit{In: vars, Out: forged}, r, test.WithReplacementHint(solver.GetHintID(nBits), plusR))
	if err == nil {
		t.Fatal("the draws of s + r were accepted")
	}
	t.Logf("rejected: %.160s", err)
}
