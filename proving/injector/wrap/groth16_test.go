package wrap

import (
	"bytes"
	"context"
	"errors"
	"os"
	"sync"
	"testing"

	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"

	"github.com/oneiros-zk/oneiros/proving/injector/keys"
	"github.com/oneiros-zk/oneiros/proving/injector/solidity"
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
	sh, err := ShapeOf(s.vk, s.e.Params().FRI, s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	ccs, id, err := Compile(sh)
	if err != nil {
		t.Fatal(err)
	}
	pk, vk, err := keys.SetupLocal(ccs)
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
	st := StatementDigest(f.s.publics, f.s.bus)
	if err := Verify(f.vk, f.id, f.wrapped, st); err != nil {
		t.Fatal(err)
	}
	enc, err := f.wrapped.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if len(enc) != WrappedSize || WrappedSize > 300 {
		t.Fatalf("%d bytes, WrappedSize %d", len(enc), WrappedSize)
	}
	dec, err := DecodeWrapped(enc)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(f.vk, f.id, dec, st); err != nil {
		t.Fatal(err)
	}
	other := st
	other.SetUint64(7)
	if err := Verify(f.vk, f.id, dec, other); !errors.Is(err, ErrInvalid) {
		t.Fatalf("another statement: %v", err)
	}
	forged := *dec
	forged.Statement = other
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
	for _, b := range [][]byte{nil, enc[:4], enc[:WrappedSize-1], append(bytes.Clone(enc), 0)} {
		if _, err := DecodeWrapped(b); err == nil {
			t.Fatalf("%d bytes decoded", len(b))
		}
	}
}

func FuzzDecodeWrapped(f *testing.F) {
	f.Add([]byte("ONRW\x01"))
	f.Add(make([]byte, WrappedSize))
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

// The wrapped proof verifies in go-ethereum's EVM against gnark's exported Solidity
// verifier compiled with solc; a flipped proof byte or another statement reverts.
func TestWrapEVM(t *testing.T) {
	solc := os.Getenv("SOLCJS")
	if solc == "" {
		msg := "SOLCJS is not set: the EVM check of the wrapped proof needs npm's solcjs " + solidity.SolcVersion + "; run SOLCJS=$(scripts/solc.sh) go test ./proving/injector/wrap/ (make test sets it)"
		if ci := os.Getenv("CI"); ci != "" && ci != "false" && ci != "0" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	f := makeFixture(t)
	var src bytes.Buffer
	if err := solidity.Export(f.vk, &src); err != nil {
		t.Fatal(err)
	}
	contract, err := solidity.Compile(context.Background(), solc, src.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	evm, err := solidity.NewEVM(solidity.Latest)
	if err != nil {
		t.Fatal(err)
	}
	addr, deployGas, err := evm.Deploy(contract.Deploy)
	if err != nil {
		t.Fatal(err)
	}
	st := StatementDigest(f.s.publics, f.s.bus)
	pub, err := PublicWitness(st)
	if err != nil {
		t.Fatal(err)
	}
	call, err := solidity.CallData(f.wrapped.Proof, pub)
	if err != nil {
		t.Fatal(err)
	}
	res, err := evm.Call(addr, call)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK {
		t.Fatalf("the wrapped proof reverts in the EVM: %s", res.Reason)
	}
	t.Logf("EVM (%s): verifyProof %d gas execution, %d transaction gas; deployment %d gas", evm.Fork(), res.GasUsed, res.TxGas, deployGas)
	if res.TxGas > 300_000 {
		t.Errorf("verification costs %d gas, the target is 300k", res.TxGas)
	}
	flipped := bytes.Clone(call)
	flipped[len(flipped)-40] ^= 1 // inside C
	if res, err := evm.Call(addr, flipped); err != nil || res.OK {
		t.Fatalf("a flipped proof byte: ok=%v err=%v", res.OK, err)
	}
	other := st
	other.SetUint64(7)
	pub2, _ := PublicWitness(other)
	call2, err := solidity.CallData(f.wrapped.Proof, pub2)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := evm.Call(addr, call2); err != nil || res.OK {
		t.Fatalf("another statement: ok=%v err=%v", res.OK, err)
	}
}
