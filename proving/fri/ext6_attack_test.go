package fri

import (
	"fmt"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/pcs"
	"github.com/oneiros-zk/oneiros/proving/transcript"
)

func attackPoint(d int, base uint64) field.Ext {
	co := make([]field.Elem, d)
	for i := range co {
		co[i] = field.New(base + uint64(i))
	}
	return field.ExtFromCoords(co)
}

// cloneRounds deep-copies the rounds' values and points.
func cloneRounds(vr []pcs.VerifyRound) []pcs.VerifyRound {
	out := make([]pcs.VerifyRound, len(vr))
	for r, rd := range vr {
		out[r] = rd
		out[r].Values = make([][][]field.Ext, len(rd.Values))
		for m := range rd.Values {
			out[r].Values[m] = make([][]field.Ext, len(rd.Values[m]))
			for z := range rd.Values[m] {
				out[r].Values[m][z] = append([]field.Ext(nil), rd.Values[m][z]...)
			}
		}
		out[r].Points = make([][]field.Ext, len(rd.Points))
		for m := range rd.Points {
			out[r].Points[m] = append([]field.Ext(nil), rd.Points[m]...)
		}
	}
	return out
}

func cut(e field.Ext, d int) field.Ext {
	co := field.ExtCoords(&e)
	return field.ExtFromCoords(co[:d])
}

// safePCSVerify runs Verify and fails the test on a panic.
func safePCSVerify(t *testing.T, what string, s *PCS, vr []pcs.VerifyRound, proof []byte, tr *transcript.Challenger) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: Verify panicked: %v", what, r)
			err = fmt.Errorf("panic")
		}
	}()
	return s.Verify(vr, proof, tr)
}

func mustRejectPCS(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: accepted", what)
		return
	}
	if !IsInvalid(err) {
		t.Errorf("%s: rejected without ErrInvalidProof: %v", what, err)
	}
}

// The PCS verifier, fed by a caller that mixes degrees or schemes: values or points of
// the other degree, a transcript of the other degree or hash, a proof of one
// configuration checked under another (values and points cut or padded to the
// verifier's degree), a Narrow root with padding. Every case is rejected with
// ErrInvalidProof, never a panic.
func TestPCSDegreeAndSchemeConfusionAttack(t *testing.T) {
	base := Params{LogBlowup: 1, NumQueries: 8, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 1}
	configs := []Params{base, base, base, base}
	configs[1].ExtDegree = 6
	configs[2].Hash = hash.Wide
	configs[3].ExtDegree, configs[3].Hash = 6, hash.Wide
	fx := make([]*fixture, len(configs))
	for i, p := range configs {
		fx[i] = newFixture(t, p)
		if err := fx[i].s.Verify(fx[i].vr, fx[i].proof, transcript.NewFor("test", p.Ext(), p.Hash)); err != nil {
			t.Fatalf("%+v: honest proof rejected: %v", p, err)
		}
	}
	for i, p := range configs {
		f := fx[i]
		other := 10 - p.Ext()
		tr := func() *transcript.Challenger { return transcript.NewFor("test", p.Ext(), p.Hash) }
		name := fmt.Sprintf("ext %d hash %v", p.Ext(), p.Hash)
		// A value of the other degree.
		vr := cloneRounds(f.vr)
		vr[1].Values[0][1][4] = cut(attackPoint(6, 5), other)
		mustRejectPCS(t, name+": value of the other degree", safePCSVerify(t, name, f.s, vr, f.proof, tr()))
		// A point of the other degree.
		vr = cloneRounds(f.vr)
		vr[2].Points[1][0] = cut(vr[2].Points[1][0], other)
		mustRejectPCS(t, name+": point of the other degree", safePCSVerify(t, name, f.s, vr, f.proof, tr()))
		// Transcripts of the other degree or hash.
		for _, c := range []struct {
			d int
			h hash.Scheme
		}{{other, p.Hash}, {p.Ext(), 1 - p.Hash}, {other, 1 - p.Hash}} {
			mustRejectPCS(t, fmt.Sprintf("%s: transcript ext %d hash %v", name, c.d, c.h),
				safePCSVerify(t, name, f.s, f.vr, f.proof, transcript.NewFor("test", c.d, c.h)))
		}
		// A Narrow root with padding (the computed root is canonical).
		if p.Hash == hash.Narrow {
			vr = cloneRounds(f.vr)
			vr[0].Root[9].SetUint64(1)
			mustRejectPCS(t, name+": padded Narrow root", safePCSVerify(t, name, f.s, vr, f.proof, tr()))
		}
		// This configuration's proof under every other verifier, its values and points
		// reshaped to the verifier's degree and the verifier's own transcript.
		for j, q := range configs {
			if i == j {
				continue
			}
			vr := cloneRounds(f.vr)
			for r := range vr {
				for m := range vr[r].Values {
					for z := range vr[r].Values[m] {
						for c := range vr[r].Values[m][z] {
							vr[r].Values[m][z][c] = cut(vr[r].Values[m][z][c], q.Ext())
						}
					}
					for z := range vr[r].Points[m] {
						vr[r].Points[m][z] = cut(vr[r].Points[m][z], q.Ext())
					}
				}
				vr[r].Root = hash.NodeOf(vr[r].Root.Narrow())
			}
			what := fmt.Sprintf("%s proof under ext %d hash %v", name, q.Ext(), q.Hash)
			mustRejectPCS(t, what, safePCSVerify(t, what, fx[j].s, vr, f.proof, transcript.NewFor("test", q.Ext(), q.Hash)))
		}
	}
}

// DecodeParams of one configuration's bytes under every other configuration: an error
// or a proof whose shape is the decoder's (never a panic); a proof's Encode under its
// own parameters is its bytes.
func TestDecodeParamsAcrossConfigsAttack(t *testing.T) {
	base := Params{LogBlowup: 1, NumQueries: 8, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 1}
	var configs []Params
	for _, d := range []int{4, 6} {
		for _, h := range []hash.Scheme{hash.Narrow, hash.Wide} {
			for _, zk := range []bool{false, true} {
				p := base
				p.ExtDegree, p.Hash, p.ZK = d, h, zk
				configs = append(configs, p)
			}
		}
	}
	for _, p := range configs {
		if p.ZK {
			continue
		}
		f := newFixture(t, p)
		for _, q := range configs {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("DecodeParams(%+v bytes, %+v) panicked: %v", p, q, r)
					}
				}()
				dec, err := DecodeParams(f.proof, q)
				if err != nil {
					return
				}
				for _, e := range dec.FinalPoly {
					if e.Degree() != q.Ext() {
						t.Errorf("decoded a degree-%d element under degree %d", e.Degree(), q.Ext())
					}
				}
				for _, n := range dec.LayerRoots {
					if !q.Hash.Canonical(&n) {
						t.Error("decoded a non-canonical root")
					}
				}
				if q == p && string(dec.Encode()) != string(f.proof) {
					t.Error("re-encoding changed the bytes")
				}
			}()
		}
	}
}

// Parameters that shape the encoding but are invalid (a degree of 5, an unknown hash)
// make DecodeParams refuse, never panic, whatever the bytes.
func TestDecodeParamsInvalidShape(t *testing.T) {
	f := newFixture(t, Params{LogBlowup: 1, NumQueries: 4, LogArity: 1})
	for _, p := range []Params{{ExtDegree: 5}, {ExtDegree: 7}, {Hash: hash.Scheme(9)}} {
		if _, err := DecodeParams(f.proof, p); err == nil {
			t.Errorf("%+v: decoded", p)
		}
	}
}
