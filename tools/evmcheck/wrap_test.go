package evmcheck

import (
	"bytes"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/injector/solidity"
	"github.com/oneiros-zk/oneiros/proving/injector/wrap"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// A real STARK proof (a Fibonacci table, with the Outer hash), wrapped into a Groth16
// proof whose three public inputs state its three public values (wrap.Shape.Expose, as
// the zkVM's wrap states claim_root, the program key and vk_root), verifies in
// go-ethereum's EVM against gnark's exported verifier compiled with solc, within 300k
// gas; a flipped proof byte or any other input reverts.
func TestWrappedProofInEVM(t *testing.T) {
	solc := solcjs(t)
	params := hemera.Params{FRI: fri.Params{LogBlowup: 1, NumQueries: 3, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 1,
		LogUpGrindingBits: 1, DEEPGrindingBits: 1, Hash: hash.Outer}, Workers: 2}
	e, err := hemera.New(params)
	if err != nil {
		t.Fatal(err)
	}
	tb := starktest.Fib(3)
	pk, vk, err := e.Setup([]*air.AIR{tb.AIR}, [][][]field.Elem{tb.Prep})
	if err != nil {
		t.Fatal(err)
	}
	publics := [][]field.Elem{tb.Publics}
	proof, err := e.Prove(pk, &stark.Witness{Main: [][][]field.Elem{tb.Main}, Publics: publics})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := wrap.ShapeOf(vk, params, proof, publics, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sh.Expose(publics, nil, [][]int{{0}, {1}, {2}}); err != nil {
		t.Fatal(err)
	}
	ccs, id, err := wrap.Compile(sh)
	if err != nil {
		t.Fatal(err)
	}
	gpk, gvk, err := groth16.Setup(ccs)
	if err != nil {
		t.Fatal(err)
	}
	w, err := wrap.Prove(ccs, id, gpk, sh, proof, publics, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sh.StatementInputs(publics, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := wrap.Verify(gvk, id, w, st); err != nil {
		t.Fatal(err)
	}

	var src bytes.Buffer
	if err := solidity.Export(gvk, &src); err != nil {
		t.Fatal(err)
	}
	evm, addr, deployGas := deploy(t, solc, src.Bytes())
	pub, err := wrap.PublicWitness(st...)
	if err != nil {
		t.Fatal(err)
	}
	call, err := solidity.CallData(w.Proof, pub)
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
	t.Logf("wrap circuit %d constraints; EVM (%s): verifyProof %d gas execution, %d per transaction; deployment %d gas",
		ccs.GetNbConstraints(), evm.Fork(), res.GasUsed, res.TxGas, deployGas)
	if res.TxGas > 300_000 {
		t.Errorf("verification costs %d gas, the target is 300k", res.TxGas)
	}
	flipped := bytes.Clone(call)
	flipped[len(flipped)-40] ^= 1 // inside C
	if res, err := evm.Call(addr, flipped); err != nil || res.OK {
		t.Fatalf("a flipped proof byte: ok=%v err=%v", res.OK, err)
	}
	for i := range st {
		other := append([]fr.Element(nil), st...)
		other[i].SetUint64(7)
		pub2, err := wrap.PublicWitness(other...)
		if err != nil {
			t.Fatal(err)
		}
		call2, err := solidity.CallData(w.Proof, pub2)
		if err != nil {
			t.Fatal(err)
		}
		if res, err := evm.Call(addr, call2); err != nil || res.OK {
			t.Fatalf("another public input %d: ok=%v err=%v", i, res.OK, err)
		}
	}
}
