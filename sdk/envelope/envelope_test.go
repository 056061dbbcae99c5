package envelope

import (
	"bytes"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/hash"
)

func sample() *Envelope {
	return &Envelope{
		Claim: Claim{ISA: "asm", ProgramID: hash.Tagged("p", nil), SourceDigest: SourceDigest([]byte("src")),
			InputDigest: InputDigest([]byte{1}), OutputDigest: OutputDigest([]byte("out")), ExitStatus: 0, ExitCode: 3, Cycles: 99},
		Program: []byte("program"), Output: []byte("out"), Proofs: [][]byte{{1, 2, 3}},
		Params: Params{LogBlowup: 1, NumQueries: 100, GrindingBits: 16, FRILogArity: 1, LogFinalPolyLen: 3,
			LogUpGrindingBits: 12, DEEPGrindingBits: 8},
		Meta: Meta{Backend: "cpu", Device: "cpu", Profile: "standard", Frontend: "asm 0.1.0", ProveSeconds: 1.5,
			PhaseSeconds: map[string]float64{"stark": 1.25, "trace": 0.125}},
	}
}

func TestRoundTrip(t *testing.T) {
	e := sample()
	d, err := Decode(e.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d.Encode(), e.Encode()) || d.Claim != e.Claim || d.Params != e.Params {
		t.Fatal("round trip changed the envelope")
	}
}

func TestClaimRootBindsEveryField(t *testing.T) {
	base := sample().Claim
	root := base.Root()
	muts := []func(c *Claim){
		func(c *Claim) { c.ISA = "wasm" },
		func(c *Claim) { c.ProgramID[0].SetUint64(1) },
		func(c *Claim) { c.SourceDigest[1].SetUint64(1) },
		func(c *Claim) { c.InputDigest[2].SetUint64(1) },
		func(c *Claim) { c.InputLen = 77 },
		func(c *Claim) { c.OutputDigest[3].SetUint64(1) },
		func(c *Claim) { c.ExitStatus = 8 },
		func(c *Claim) { c.ExitCode = 4 },
		func(c *Claim) { c.Cycles = 100 },
	}
	for i, m := range muts {
		c := base
		m(&c)
		if c.Root() == root {
			t.Errorf("mutation %d leaves claim_root unchanged", i)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	enc := sample().Encode()
	for _, b := range [][]byte{nil, []byte("ONRE"), enc[:len(enc)-1], append(bytes.Clone(enc), 0)} {
		if _, err := Decode(b); err == nil {
			t.Errorf("accepted %d bytes", len(b))
		}
	}
	bad := bytes.Clone(enc)
	bad[4] = 9 // version
	if _, err := Decode(bad); err == nil {
		t.Error("accepted another version")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(sample().Encode())
	f.Fuzz(func(t *testing.T, b []byte) {
		if e, err := Decode(b); err == nil {
			_ = e.Encode()
		}
	})
}

// FuzzDecodeBody fuzzes the parser behind the checksum (Decode rejects almost every
// random input at the checksum already).
func FuzzDecodeBody(f *testing.F) {
	enc := sample().Encode()
	f.Add(enc[:len(enc)-32])
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 4 {
			return
		}
		if e, err := decodeBody(b); err == nil {
			_ = e.Encode()
		}
	})
}
