package envelope

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/hash"
)

// flagsOffset is where version 4's flags word starts in e's encoding: after the magic,
// the version, the claim, the program, the output and the seven integer parameters.
func flagsOffset(e *Envelope) int {
	return 4 + 4 + 4 + len(e.Claim.Encode()) + 4 + len(e.Program) + 4 + len(e.Output) + 7*4
}

// reseal recomputes the checksum (a forger can; the proofs are the defence).
func reseal(b []byte) []byte {
	body := b[:len(b)-sha256.Size]
	sum := sha256.Sum256(body)
	return append(bytes.Clone(body), sum[:]...)
}

// Relabelling an envelope's flags word: every known combination decodes to exactly the
// parameters it names, and the proofs' bytes are untouched (their own headers still say
// the degree and hash they were made with, which stark.Verify compares with the
// parameters); unknown bits and a zero word are refused; dropping the flags word
// (version 4 -> 3) gives the defaults. Nothing panics.
func TestFlagsRelabelAttack(t *testing.T) {
	e := sample()
	e.Params.ExtDegree, e.Params.Hash, e.Params.ZK = 6, hash.Wide, true
	e.Proofs = [][]byte{[]byte("HMRS\x03\x00\x00\x00\x06\x01")}
	enc := e.Encode()
	at := flagsOffset(e)
	if got, want := binary.LittleEndian.Uint32(enc[at:]), uint32(flagZK|flagExt6|flagWide); got != want {
		t.Fatalf("flags word at %d is %#x, want %#x", at, got, want)
	}
	for f := uint32(0); f < 16; f++ {
		b := bytes.Clone(enc)
		binary.LittleEndian.PutUint32(b[at:], f)
		d, err := Decode(reseal(b))
		if f == 0 || f&^flagsKnown != 0 || f&flagWide != 0 && f&flagOuter != 0 {
			if err == nil {
				t.Errorf("flags %#x accepted", f)
			}
			continue
		}
		if err != nil {
			t.Fatalf("flags %#x: %v", f, err)
		}
		wantExt, wantHash := 4, hash.Narrow
		if f&flagExt6 != 0 {
			wantExt = 6
		}
		if f&flagWide != 0 {
			wantHash = hash.Wide
		}
		if f&flagOuter != 0 {
			wantHash = hash.Outer
		}
		p := d.Params
		if p.ExtDegree != wantExt || p.Hash != wantHash || p.ZK != (f&flagZK != 0) {
			t.Errorf("flags %#x decoded as ext %d hash %v zk %v", f, p.ExtDegree, p.Hash, p.ZK)
		}
		if err := p.Params.Validate(); err != nil {
			t.Errorf("flags %#x: decoded parameters invalid: %v", f, err)
		}
		if !bytes.Equal(d.Proofs[0], e.Proofs[0]) {
			t.Error("relabelling changed the proof bytes")
		}
		// Re-encoding the relabelled envelope writes the relabelled flags.
		if d2, err := Decode(d.Encode()); err != nil || d2.Params != d.Params {
			t.Errorf("flags %#x: re-encoding: %+v, %v", f, d2, err)
		}
	}
	// Version 4 -> 3 with the flags word cut out: the defaults (degree 4, Narrow, no zk).
	b := append(bytes.Clone(enc[:at]), enc[at+4:]...)
	b[4] = 3
	d, err := Decode(reseal(b))
	if err != nil {
		t.Fatal(err)
	}
	if d.Params.ExtDegree != 4 || d.Params.Hash != hash.Narrow || d.Params.ZK {
		t.Fatalf("version 3 decoded as %+v", d.Params)
	}
	// Version 3 -> 4 without adding a word: the first four bytes of the machine ID's
	// length become the flags (0: refused) — never a panic, never a silent degree 6.
	plain := sample()
	pe := plain.Encode()
	b = bytes.Clone(pe)
	b[4] = 4
	if d, err := Decode(reseal(b)); err == nil && (d.Params.ExtDegree == 6 || d.Params.Hash == hash.Wide) {
		t.Fatalf("a version 3 body read as version 4 gave %+v", d.Params)
	}
	// Every truncation of the relabelled envelope's body: an error, never a panic.
	for n := 8; n < at+8 && n < len(enc)-sha256.Size; n++ {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("cut at %d: panic %v", n, r)
				}
			}()
			if _, err := decodeBody(enc[:n]); err == nil {
				t.Fatalf("a body cut at %d decoded", n)
			}
		}()
	}
}

// The JSON parameters: the hash by name (an unknown name is refused; an empty one is
// the default Narrow), ext_degree as written — any value other than 4 and 6 decodes but
// fails Validate, which the verifier runs (hemera.New) before using them.
func TestParamsJSONAttack(t *testing.T) {
	var p Params
	if err := json.Unmarshal([]byte(`{"hash":"poseidon2-w24","ext_degree":6}`), &p); err != nil || p.Hash != hash.Wide || p.Ext() != 6 {
		t.Fatalf("%+v, %v", p, err)
	}
	for _, bad := range []string{`{"hash":"poseidon2-w16"}`, `{"hash":"POSEIDON2"}`, `{"hash":1}`} {
		var q Params
		if err := json.Unmarshal([]byte(bad), &q); err == nil {
			t.Errorf("%s accepted: %+v", bad, q)
		}
	}
	for _, d := range []int{-4, 1, 5, 8, 12} {
		q := sample().Params
		q.ExtDegree = d
		if err := q.Params.Validate(); err == nil {
			t.Errorf("ext_degree %d validates", d)
		}
	}
	q := sample().Params
	q.Hash = hash.Outer + 1
	if err := q.Params.Validate(); err == nil {
		t.Error("an unknown hash scheme validates")
	}
	if _, err := json.Marshal(q); err == nil {
		t.Error("an unknown hash scheme marshals")
	}
}
