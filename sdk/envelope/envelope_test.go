package envelope

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/hook"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

func sample() *Envelope {
	return &Envelope{
		Claim: Claim{ISA: "asm", ProgramID: hash.Tagged("p", nil), SourceDigest: SourceDigest([]byte("src")),
			InputDigest: InputDigest([]byte{1}), OutputDigest: OutputDigest([]byte("out")), ExitStatus: 0, ExitCode: 3, Cycles: 99},
		Program: []byte("program"), Output: []byte("out"), Proofs: [][]byte{{1, 2, 3}},
		Params: Params{Params: fri.Params{LogBlowup: 1, NumQueries: 100, GrindingBits: 16, LogArity: 1, LogFinalPolyLen: 3,
			LogUpGrindingBits: 12, DEEPGrindingBits: 8, ExtDegree: 4, Hash: hash.Narrow}},
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

// A zero-knowledge envelope is version 4 (a flags word with bit 0 set) and round-trips;
// one without zero knowledge keeps version 3's bytes. A version 4 envelope with no flag
// or an unknown one is refused.
func TestZKVersions(t *testing.T) {
	plain, zk := sample(), sample()
	zk.Params.ZK = true
	pe, ze := plain.Encode(), zk.Encode()
	if pe[4] != 3 || ze[4] != 4 { // little-endian words
		t.Fatalf("versions: plain % x, zk % x", pe[4:8], ze[4:8])
	}
	if len(ze) != len(pe)+4 {
		t.Fatalf("the zk envelope is %d bytes, the plain one %d: want 4 more (the flags)", len(ze), len(pe))
	}
	for _, enc := range [][]byte{pe, ze} {
		d, err := Decode(enc)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(d.Encode(), enc) {
			t.Error("round trip changed the envelope")
		}
	}
	if d, _ := Decode(ze); !d.Params.ZK {
		t.Error("zk lost")
	}
	if d, _ := Decode(pe); d.Params.ZK {
		t.Error("zk set on a version 3 envelope")
	}
	// The flags word (1, little-endian) starts at the first byte after the version where
	// the two encodings differ (the plain one has the machine ID's length, 0, there).
	at := 8
	for pe[at] == ze[at] {
		at++
	}
	for _, flags := range [][]byte{{0, 0, 0, 0}, {0xff, 0xff, 0xff, 0xff}} {
		body := bytes.Clone(ze[:len(ze)-32])
		copy(body[at:at+4], flags)
		if _, err := decodeBody(body); err == nil || !strings.Contains(err.Error(), "flags") {
			t.Errorf("flags % x: %v", flags, err)
		}
	}
}

// The degree-6 extension and the Wide hash set flags bits 1 and 2 of version 4 and
// round-trip, alone and with zero knowledge; an envelope that names neither decodes
// with the defaults spelt out.
func TestPresetFlags(t *testing.T) {
	for _, c := range []struct {
		ext  int
		hash hash.Scheme
		zk   bool
	}{{6, hash.Narrow, false}, {4, hash.Wide, false}, {6, hash.Wide, false}, {6, hash.Wide, true}} {
		e := sample()
		e.Params.ExtDegree, e.Params.Hash, e.Params.ZK = c.ext, c.hash, c.zk
		enc := e.Encode()
		if enc[4] != 4 {
			t.Fatalf("%+v: version %d, want 4", c, enc[4])
		}
		d, err := Decode(enc)
		if err != nil {
			t.Fatal(err)
		}
		if d.Params != e.Params || !bytes.Equal(d.Encode(), enc) {
			t.Fatalf("%+v: round trip gave %+v", c, d.Params)
		}
		if f := d.Params.Params; f.Ext() != c.ext || f.Hash != c.hash || f.ZK != c.zk {
			t.Fatalf("%+v: FRI parameters %+v", c, f)
		}
	}
	e := sample()
	e.Params.ExtDegree, e.Params.Hash = 0, hash.Narrow
	if d, err := Decode(e.Encode()); err != nil || d.Params.ExtDegree != 4 || d.Params.Hash != hash.Narrow {
		t.Fatalf("defaults: %+v, %v", d.Params, err)
	}
	// The JSON is flat, with the hash by its name.
	b, err := json.Marshal(sample().Params)
	if err != nil || !bytes.Contains(b, []byte(`"hash":"poseidon2"`)) || !bytes.Contains(b, []byte(`"fri_log_arity":1`)) || !bytes.Contains(b, []byte(`"machine":""`)) {
		t.Fatalf("JSON %s, %v", b, err)
	}
}

// An aggregated envelope sets flags bit 4 and carries the aggregation's parameters
// after the flags word; it round-trips, with and without other flags, and parameters
// of the aggregation with unknown flags are refused.
func TestAggregatedFlag(t *testing.T) {
	agg := fri.Params{LogBlowup: 1, NumQueries: 193, GrindingBits: 20, LogArity: 4, LogFinalPolyLen: 3,
		LogUpGrindingBits: 12, DEEPGrindingBits: 8, ExtDegree: 4, Hash: hash.Narrow}
	for _, zk := range []bool{false, true} {
		e := sample()
		e.Params.ZK = zk
		e.Aggregation = &agg
		enc := e.Encode()
		if enc[4] != 4 {
			t.Fatalf("zk %v: version %d, want 4", zk, enc[4])
		}
		d, err := Decode(enc)
		if err != nil {
			t.Fatal(err)
		}
		if d.Aggregation == nil || *d.Aggregation != agg || d.Params != e.Params || !bytes.Equal(d.Encode(), enc) {
			t.Fatalf("zk %v: round trip gave %+v, %+v", zk, d.Aggregation, d.Params)
		}
	}
	if d, err := Decode(sample().Encode()); err != nil || d.Aggregation != nil {
		t.Fatalf("a plain envelope: %+v, %v", d.Aggregation, err)
	}
	// The aggregation's own flags word: an unknown bit is refused.
	e := sample()
	e.Aggregation = &agg
	enc := e.Encode()
	body := bytes.Clone(enc[:len(enc)-32])
	at := bytes.Index(body, []byte{193, 0, 0, 0}) + 4*6 // the aggregation's flags word follows its 7 integers
	copy(body[at:at+4], []byte{0x20, 0, 0, 0})
	if _, err := decodeBody(body); err == nil || !strings.Contains(err.Error(), "aggregation flags") {
		t.Fatalf("aggregation flags 0x20: %v", err)
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
		func(c *Claim) { c.HookCount, c.HookDigest = 1, HookDigest(nil) },
		func(c *Claim) { c.HookCount = 1 },
	}
	for i, m := range muts {
		c := base
		m(&c)
		if c.Root() == root {
			t.Errorf("mutation %d leaves claim_root unchanged", i)
		}
	}
}

// A claim with a hook log round-trips and its root binds the log; a claim without one
// encodes exactly as before hooks existed (same bytes, same claim_root), and an encoded
// log of 0 calls is refused (it would give one claim two encodings).
func TestClaimHooks(t *testing.T) {
	e := sample()
	plain := e.Claim.Encode()
	e.Claim.HookCount = 2
	e.Claim.HookDigest = HookDigest([]hook.Entry{{Number: 0x100, B: 1, A: 2}, {Number: 0x101, A: 7}})
	d, err := Decode(e.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if d.Claim != e.Claim {
		t.Fatalf("hook log changed by the round trip: %+v", d.Claim)
	}
	withHooks := e.Claim.Encode()
	if !bytes.Equal(withHooks[:len(plain)], plain) || len(withHooks) != len(plain)+4+hash.DigestByteSize {
		t.Fatal("the hook log is not a trailing addition to the claim's encoding")
	}
	other := e.Claim
	other.HookDigest = HookDigest([]hook.Entry{{Number: 0x100, B: 1, A: 3}, {Number: 0x101, A: 7}})
	if other.Root() == e.Claim.Root() {
		t.Fatal("claim_root ignores the hook digest")
	}
	zero := append(bytes.Clone(plain), make([]byte, 4+hash.DigestByteSize)...)
	if _, err := decodeClaim(zero); err == nil || !strings.Contains(err.Error(), "0 calls") {
		t.Fatalf("an encoded log of 0 calls: %v", err)
	}
	if _, err := decodeClaim(withHooks[:len(withHooks)-1]); err == nil {
		t.Fatal("a truncated hook digest was accepted")
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
	zk := sample()
	zk.Params.ZK = true
	f.Add(zk.Encode())
	hooked := sample()
	hooked.Claim.HookCount, hooked.Claim.HookDigest = 3, HookDigest([]hook.Entry{{Number: 0x100}})
	f.Add(hooked.Encode())
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
	zk := sample()
	zk.Params.ZK = true
	enc = zk.Encode()
	f.Add(enc[:len(enc)-32])
	hooked := sample()
	hooked.Claim.HookCount, hooked.Claim.HookDigest = 3, HookDigest([]hook.Entry{{Number: 0x100}})
	enc = hooked.Encode()
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
