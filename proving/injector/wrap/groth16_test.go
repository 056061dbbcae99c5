package wrap

import (
	"bytes"
	"errors"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"

	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// fixture is a wrapped Fib proof with its circuit and local development keys, made once
// for the package's tests (the setup is the slow part).
type fixture struct {
	s       *system
	sh      *Shape
	ccs     constraint.ConstraintSystem
	id      string
	pk      groth16.ProvingKey
	vk      groth16.VerifyingKey
	wrapped *Wrapped
}

func makeFixture(t *testing.T) *fixture {
	t.Helper()
	fixtureMu.Lock()
	defer fixtureMu.Unlock()
	if theFixture != nil {
		return theFixture
	}
	s := prove(t, outerParams, []starktest.Table{starktest.Fib(3)}, nil)
	sh, err := ShapeOf(s.vk, s.e.Params(), s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	ccs, id, err := Compile(sh)
	if err != nil {
		t.Fatal(err)
	}
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		t.Fatal(err)
	}
	w, err := Prove(ccs, id, pk, sh, s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("wrap circuit of a Fib proof: %d constraints", ccs.GetNbConstraints())
	theFixture = &fixture{s: s, sh: sh, ccs: ccs, id: id, pk: pk, vk: vk, wrapped: w}
	return theFixture
}

var (
	fixtureMu  sync.Mutex
	theFixture *fixture
)

// A wrapped proof verifies with its statement, encodes to WrappedSize bytes and decodes
// to a proof that verifies; another statement, another circuit, any flipped byte are
// refused (by the decoder or by the verifier), and no input makes the decoder panic.
func TestWrapGroth16(t *testing.T) {
	f := makeFixture(t)
	st := []fr.Element{StatementDigest(f.s.publics, f.s.bus)}
	if err := Verify(f.vk, f.id, f.wrapped, st); err != nil {
		t.Fatal(err)
	}
	enc, err := f.wrapped.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if len(enc) != WrappedSize(1) || WrappedSize(3) > 300 {
		t.Fatalf("%d bytes, WrappedSize %d (%d with three inputs)", len(enc), WrappedSize(1), WrappedSize(3))
	}
	dec, err := DecodeWrapped(enc)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(f.vk, f.id, dec, st); err != nil {
		t.Fatal(err)
	}
	other := []fr.Element{st[0]}
	other[0].SetUint64(7)
	if err := Verify(f.vk, f.id, dec, other); !errors.Is(err, ErrInvalid) {
		t.Fatalf("another statement: %v", err)
	}
	if err := Verify(f.vk, f.id, dec, append(st, st[0])); !errors.Is(err, ErrInvalid) {
		t.Fatalf("an extra input: %v", err)
	}
	forged := *dec
	forged.Inputs = other
	if err := Verify(f.vk, f.id, &forged, other); !errors.Is(err, ErrInvalid) {
		t.Fatalf("a proof relabelled with another statement: %v", err)
	}
	if err := Verify(f.vk, "00"+f.id[2:], dec, st); !errors.Is(err, ErrInvalid) {
		t.Fatalf("another circuit: %v", err)
	}
	for i := range enc {
		b := bytes.Clone(enc)
		b[i] ^= 0x10
		d, err := DecodeWrapped(b)
		if err != nil {
			continue
		}
		if err := Verify(f.vk, f.id, d, st); err == nil {
			t.Fatalf("byte %d flipped: accepted", i)
		}
	}
	for _, b := range [][]byte{nil, enc[:4], enc[:37], enc[:WrappedSize(1)-1], append(bytes.Clone(enc), 0)} {
		if _, err := DecodeWrapped(b); err == nil {
			t.Fatalf("%d bytes decoded", len(b))
		}
	}
}

func FuzzDecodeWrapped(f *testing.F) {
	f.Add([]byte("ONRW\x02"))
	f.Add(make([]byte, WrappedSize(1)))
	f.Add(append([]byte("ONRW\x02"), make([]byte, WrappedSize(3)-5)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		w, err := DecodeWrapped(b)
		if err != nil {
			return
		}
		enc, err := w.Encode()
		if err != nil || !bytes.Equal(enc, b) {
			t.Fatalf("decoded bytes re-encode differently: %v", err)
		}
	})
}
