package machine

import (
	"context"
	"errors"
	"testing"

	chipinput "github.com/oneiros-zk/oneiros/core/chips/input"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// sumTwo reads two words, writes their sum (4 bytes) and halts.
const sumTwo = ".fp 0x1000\nmain: ecall read, [8]\n ecall read, [12]\n add [16], [8], [12]\n ecall write, [16], 4\n halt 0\n"

// noRead halts without reading its input.
const noRead = ".fp 0x1000\nmain: halt 0\n"

var (
	inputA = []byte{1, 0, 0, 0, 2, 0, 0, 0, 9, 9, 9}   // reads 1 and 2: writes 3
	inputB = []byte{2, 0, 0, 0, 1, 0, 0, 0, 9, 9, 9}   // reads 2 and 1: writes 3 too
	inputC = []byte{1, 0, 0, 0, 2, 0, 0, 0, 9, 9, 0xa} // reads as A; differs past the READs
)

// withInputDigest gives a statement written as a literal, without an input digest, the
// digest of its input (the forgery tests' statements are about other fields).
func withInputDigest(st *Statement) *Statement {
	if st.InputDigest == (hash.Digest{}) {
		st.InputDigest = chipinput.Digest(st.Input)
	}
	return st
}

func verifyRejects(t *testing.T, r *run, st *Statement, proof *SegmentProof, what string) {
	t.Helper()
	if err := r.m.Verify(r.keys.VK, st, proof); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("%s: %v", what, err)
	}
}

// The statement's input digest is the input table's: the honest proof verifies with it
// and with no other, whatever the program read.
func TestInputDigestProven(t *testing.T) {
	for _, c := range []struct {
		src        string
		in, others []byte
	}{
		{sumTwo, inputA, inputB}, // same length and output, other content
		{sumTwo, inputA, inputC}, // differs only in bytes no READ reached
		{noRead, inputA, inputC}, // no READ at all
		{noRead, nil, []byte{0}}, // the empty input against one zero byte
	} {
		r := newRun(t, c.src, c.in)
		if r.st.InputDigest != chipinput.Digest(c.in) {
			t.Fatal("StatementOf's input digest is not input.Digest")
		}
		proof := r.prove(t)
		if err := r.m.Verify(r.keys.VK, r.st, proof); err != nil {
			t.Fatal(err)
		}
		other := *r.st
		other.Input, other.InputLen, other.InputDigest = nil, uint32(len(c.others)), chipinput.Digest(c.others)
		verifyRejects(t, r, &other, proof, "a proof verifies for another input's digest")
		other.InputLen = uint32(len(c.in))
		verifyRejects(t, r, &other, proof, "a proof verifies for another digest of the same length")
	}
}

// (a) A READ returns a word that is not the input's at its offset: the records are a
// true run on inputB (every other bus balances), the input table holds inputA and the
// statement names inputA.
func TestReadNotInputWordRejected(t *testing.T) {
	p := assemble(t, sumTwo)
	res, recs, err := Execute(context.Background(), p, exec.Options{Input: inputB})
	if err != nil || res.ExitStatus != isa.StatusHalted {
		t.Fatalf("run: %v %v", err, res.ExitStatus)
	}
	st := StatementOf(p, res, inputA)
	forge(t, p, st, recs, "READs of inputB proven with the tape of inputA")
}

// (b) A statement whose input digest is not the run's: the tables are the honest run's.
func TestWrongInputDigestRejected(t *testing.T) {
	p := assemble(t, sumTwo)
	res, recs, err := Execute(context.Background(), p, exec.Options{Input: inputA})
	if err != nil {
		t.Fatal(err)
	}
	st := StatementOf(p, res, inputA)
	st.InputDigest = chipinput.Digest(inputC)
	if err := Provable(st); err == nil {
		t.Fatal("Provable accepts a statement whose input is not its digest's")
	}
	forge(t, p, st, recs, "a run on inputA proven with inputC's digest")
}

// (c) The proof of an input of the right length but other content: the run and the
// input table are inputC's (bytes no READ reaches differ), the statement names inputA.
func TestOtherInputSameLengthRejected(t *testing.T) {
	p := assemble(t, sumTwo)
	res, recs, err := Execute(context.Background(), p, exec.Options{Input: inputC})
	if err != nil {
		t.Fatal(err)
	}
	st := StatementOf(p, res, inputA)
	forgeEvents(t, p, st, recs, func(ev *events) { ev.input = inputC }, "a run on inputC proven as a run on inputA")
}

func TestBoundaryRoundTrip(t *testing.T) {
	for _, in := range [][]byte{nil, inputA} {
		b := Boundary{InputLen: uint32(len(in)), Input: in}
		got, err := DecodeBoundary(b.Encode())
		if err != nil || got.InputLen != b.InputLen || string(got.Input) != string(in) {
			t.Fatalf("round trip of %x: %+v, %v", in, got, err)
		}
	}
	enc := Boundary{InputLen: 3, Input: []byte{1, 2, 3}}.Encode()
	for _, bad := range [][]byte{enc[:len(enc)-1], append(enc, 0), nil} {
		if _, err := DecodeBoundary(bad); err == nil {
			t.Errorf("DecodeBoundary accepts %d bytes", len(bad))
		}
	}
}
