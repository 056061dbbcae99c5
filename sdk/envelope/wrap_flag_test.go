package envelope

import (
	"bytes"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// A wrapped envelope sets flags bits 4 and 5 and carries the wrap's (outer layer's)
// parameters after the aggregation's; it round-trips; bit 5 without bit 4 is refused,
// and a Wrap without an Aggregation is not written.
func TestWrappedFlag(t *testing.T) {
	agg := fri.Params{LogBlowup: 1, NumQueries: 193, GrindingBits: 20, LogArity: 4, LogFinalPolyLen: 3,
		LogUpGrindingBits: 12, DEEPGrindingBits: 8, ExtDegree: 4, Hash: hash.Narrow}
	outer := fri.Params{LogBlowup: 4, NumQueries: 20, GrindingBits: 20, LogArity: 3, LogFinalPolyLen: 3,
		LogUpGrindingBits: 12, DEEPGrindingBits: 8, ExtDegree: 4, Hash: hash.Outer}
	e := sample()
	e.Aggregation, e.Wrap = &agg, &outer
	enc := e.Encode()
	d, err := Decode(enc)
	if err != nil {
		t.Fatal(err)
	}
	if d.Wrap == nil || *d.Wrap != outer || d.Aggregation == nil || *d.Aggregation != agg || !bytes.Equal(d.Encode(), enc) {
		t.Fatalf("round trip gave %+v, %+v", d.Aggregation, d.Wrap)
	}
	// Bit 5 alone: the flags word of a version-4 envelope (its only one when nothing
	// else is set) edited from 0x30 to 0x20.
	body := bytes.Clone(enc[:len(enc)-32])
	at := bytes.Index(body, []byte{0x30, 0, 0, 0})
	if at < 0 {
		t.Fatal("no flags word 0x30")
	}
	copy(body[at:at+4], []byte{0x20, 0, 0, 0})
	if _, err := decodeBody(body); err == nil || !strings.Contains(err.Error(), "bit 5") {
		t.Fatalf("flags 0x20: %v", err)
	}
	// A Wrap without an Aggregation is not written (nothing to wrap).
	p := sample()
	p.Wrap = &outer
	if d, err := Decode(p.Encode()); err != nil || d.Wrap != nil {
		t.Fatalf("a wrap without an aggregation: %+v, %v", d.Wrap, err)
	}
}
