package evmcheck

import (
	"bytes"
	"context"
	"math/big"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/std/rangecheck"
	"github.com/ethereum/go-ethereum/accounts/abi"

	"github.com/oneiros-zk/oneiros/proving/injector/solidity"
)

// installHint is the command that provides solcjs.
const installHint = "SOLCJS=$(scripts/solc.sh) go test ./tools/evmcheck/ (or make test-solidity; scripts/solc.sh installs solc " + solidity.SolcVersion + " from npm)"

// solcjs is the solcjs the tests compile with: $SOLCJS. Without it the tests fail in CI
// (CI set) and skip, saying how to get it, elsewhere.
func solcjs(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SOLCJS"); p != "" {
		return p
	}
	msg := "SOLCJS is not set: the EVM verification of gnark's Solidity verifier needs npm's solcjs " + solidity.SolcVersion + "; run " + installHint
	if ci := os.Getenv("CI"); ci != "" && ci != "false" && ci != "0" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// cubic: x³ + x + 5 == y, y public; no commitment.
type cubic struct {
	X frontend.Variable
	Y frontend.Variable `gnark:",public"`
}

func (c *cubic) Define(api frontend.API) error {
	api.AssertIsEqual(c.Y, api.Add(api.Mul(c.X, c.X, c.X), c.X, 5))
	return nil
}

// ranged: y = x², z = x + y, both public, x and y range-checked with std/rangecheck,
// which in Groth16 commits to them (one Pedersen commitment, y among the committed).
type ranged struct {
	X frontend.Variable
	Y frontend.Variable `gnark:",public"`
	Z frontend.Variable `gnark:",public"`
}

func (c *ranged) Define(api frontend.API) error {
	api.AssertIsEqual(c.Y, api.Mul(c.X, c.X))
	api.AssertIsEqual(c.Z, api.Add(c.X, c.Y))
	rc := rangecheck.New(api)
	rc.Check(c.X, 16)
	rc.Check(c.Y, 32)
	return nil
}

type fixture struct {
	name        string
	commitments int
	vk          groth16.VerifyingKey
	proof       groth16.Proof
	public      witness.Witness
	wrong       witness.Witness // a public witness the proof is not for
	plainProof  groth16.Proof   // made without ProverOption
}

func prove(t *testing.T, name string, circuit, assignment, wrong frontend.Circuit, commitments int) *fixture {
	t.Helper()
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, circuit)
	if err != nil {
		t.Fatal(err)
	}
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		t.Fatal(err)
	}
	full, err := frontend.NewWitness(assignment, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	public, err := full.Public()
	if err != nil {
		t.Fatal(err)
	}
	wrongPublic, err := frontend.NewWitness(wrong, ecc.BN254.ScalarField(), frontend.PublicOnly())
	if err != nil {
		t.Fatal(err)
	}
	proof, err := groth16.Prove(ccs, pk, full, solidity.ProverOption())
	if err != nil {
		t.Fatal(err)
	}
	if err := groth16.Verify(proof, vk, public, solidity.VerifierOption()); err != nil {
		t.Fatalf("the proof does not verify in Go: %v", err)
	}
	if err := groth16.Verify(proof, vk, wrongPublic, solidity.VerifierOption()); err == nil {
		t.Fatal("the proof verifies in Go for the wrong public input")
	}
	plain, err := groth16.Prove(ccs, pk, full)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(proof.(*groth16bn254.Proof).Commitments); got != commitments {
		t.Fatalf("%s: %d commitments, want %d", name, got, commitments)
	}
	return &fixture{name: name, commitments: commitments, vk: vk, proof: proof, public: public, wrong: wrongPublic, plainProof: plain}
}

func fixtures(t *testing.T) []*fixture {
	return []*fixture{
		prove(t, "cubic", &cubic{}, &cubic{X: 3, Y: 35}, &cubic{Y: 36}, 0),
		prove(t, "rangecheck", &ranged{}, &ranged{X: 300, Y: 90000, Z: 90300}, &ranged{Y: 90300, Z: 90000}, 1),
	}
}

// TestVerifierInEVM exports gnark's verifier, compiles it with solcjs, deploys it in
// go-ethereum's EVM under each fork and verifies real proofs there: the valid proof
// passes through both entry points, and a flipped byte of the proof, another public
// input, an unreduced one, or a proof hashed without ProverOption do not.
func TestVerifierInEVM(t *testing.T) {
	solc := solcjs(t)
	for _, f := range fixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			var src bytes.Buffer
			if err := solidity.Export(f.vk, &src); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(src.String(), "pragma solidity "+solidity.SolcVersion+";") {
				t.Fatalf("the contract is not pinned to solc %s", solidity.SolcVersion)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			start := time.Now()
			c, err := Compile(ctx, solc, src.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: compiled %s in %v: %d bytes of creation code, %d of deployed code", f.name, c.Name, time.Since(start).Round(time.Millisecond), len(c.Deploy), len(c.Runtime))
			f.check(t, c)
		})
	}
}

func (f *fixture) check(t *testing.T, c *Contract) {
	contractABI, err := abi.JSON(bytes.NewReader(c.ABI))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"verifyProof", "verifyCompressedProof", "compressProof"} {
		if _, ok := contractABI.Methods[m]; !ok {
			t.Fatalf("the contract has no %s", m)
		}
	}
	raw := f.proof.(*groth16bn254.Proof).MarshalSolidity()
	input := f.public.Vector().(fr.Vector)
	call, err := solidity.CallData(f.proof, f.public)
	if err != nil {
		t.Fatal(err)
	}
	compressed, err := solidity.CompressedCallData(f.proof, f.public)
	if err != nil {
		t.Fatal(err)
	}
	// CallData is what go-ethereum's ABI encoder makes of the same values.
	want, err := contractABI.Pack("verifyProof", raw, bigArray(input))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(call, want) {
		t.Fatalf("CallData differs from abi.Pack:\n got %x\nwant %x", call, want)
	}
	proofBytes := len(raw)
	compressedBytes := 32 * (4 + f.commitments + min(f.commitments, 1))
	if wantLen := 4 + 32*len(input) + compressedBytes; len(compressed) != wantLen {
		t.Fatalf("compressed calldata: %d bytes, want %d", len(compressed), wantLen)
	}

	for _, fork := range []Fork{Cancun, Prague, Osaka} {
		e, err := NewEVM(fork)
		if err != nil {
			t.Fatal(err)
		}
		addr, deployGas, err := e.Deploy(c.Deploy)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(e.Code(addr), c.Runtime) {
			t.Fatal("the deployed code is not Compile's Runtime")
		}
		mustCall := func(data []byte) Result {
			t.Helper()
			r, err := e.Call(addr, data)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}

		// The contract's compressProof agrees with CompressedCallData.
		cp, err := contractABI.Pack("compressProof", raw)
		if err != nil {
			t.Fatal(err)
		}
		r := mustCall(cp)
		if !r.OK {
			t.Fatalf("%s: compressProof: %s", fork, r.Reason)
		}
		if got := compressed[4 : 4+compressedBytes]; !bytes.Equal(r.Return, got) {
			t.Fatalf("%s: compressProof returned\n%x\nCompressedCallData has\n%x", fork, r.Return, got)
		}

		ok := mustCall(call)
		okc := mustCall(compressed)
		if !ok.OK || !okc.OK {
			t.Fatalf("%s: a valid proof is rejected: verifyProof: %q, verifyCompressedProof: %q", fork, ok.Reason, okc.Reason)
		}
		t.Logf("%-10s %-6s deploy %7d gas | verifyProof: proof %3d B, calldata %3d B, %6d gas execution, %6d gas transaction | verifyCompressedProof: proof %3d B, calldata %3d B, %6d gas execution, %6d gas transaction",
			f.name, fork, deployGas, proofBytes, len(call), ok.GasUsed, ok.TxGas, compressedBytes, len(compressed), okc.GasUsed, okc.TxGas)

		reject := func(what string, data []byte, wantReason string) {
			t.Helper()
			r := mustCall(data)
			if r.OK {
				t.Fatalf("%s: %s is accepted", fork, what)
			}
			if wantReason != "" && r.Reason != wantReason {
				t.Fatalf("%s: %s is rejected with %q, want %q", fork, what, r.Reason, wantReason)
			}
		}
		// A flipped bit in each 32-byte word of the proof, in both layouts.
		proofAt := 4 + 32*(1+len(input)) + 32 // the proof's bytes in verifyProof's calldata
		for w := 0; w < proofBytes/32; w++ {
			reject("verifyProof with a flipped byte in word "+itoa(w), flip(call, proofAt+32*w+31), "")
		}
		for w := 0; w < compressedBytes/32; w++ {
			reject("verifyCompressedProof with a flipped byte in word "+itoa(w), flip(compressed, 4+32*w+31), "")
		}
		// Another public input.
		wrong, err := solidity.CallData(f.proof, f.wrong)
		if err != nil {
			t.Fatal(err)
		}
		reject("verifyProof with another public input", wrong, "ProofInvalid()")
		wrongc, err := solidity.CompressedCallData(f.proof, f.wrong)
		if err != nil {
			t.Fatal(err)
		}
		reject("verifyCompressedProof with another public input", wrongc, "ProofInvalid()")
		// The public input plus R: the same field element, not reduced.
		unreduced := bytes.Clone(call)
		y := new(big.Int).SetBytes(unreduced[4+32 : 4+64])
		y.Add(y, fr.Modulus()).FillBytes(unreduced[4+32 : 4+64])
		reject("verifyProof with an unreduced public input", unreduced, "PublicInputNotInField()")
		// A proof made with gnark's default hash-to-field for the commitment.
		if f.commitments > 0 {
			plain, err := solidity.CallData(f.plainProof, f.public)
			if err != nil {
				t.Fatal(err)
			}
			reject("verifyProof with a proof made without ProverOption", plain, "ProofInvalid()")
		}
		// A wrong length of the proof bytes: solc's require.
		short, err := contractABI.Pack("verifyProof", raw[:len(raw)-32], bigArray(input))
		if err != nil {
			t.Fatal(err)
		}
		reject("verifyProof with a short proof", short, "invalid proof length")
	}
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 1
	return c
}

func itoa(i int) string { return big.NewInt(int64(i)).String() }

// bigArray is v as a Go array [len(v)]*big.Int, what abi.Pack takes for uint256[N].
func bigArray(v fr.Vector) any {
	a := reflect.New(reflect.ArrayOf(len(v), reflect.TypeFor[*big.Int]())).Elem()
	for i := range v {
		a.Index(i).Set(reflect.ValueOf(v[i].BigInt(new(big.Int))))
	}
	return a.Interface()
}

func TestExportRejects(t *testing.T) {
	// Not BN254.
	ccs, err := frontend.Compile(ecc.BLS12_381.ScalarField(), r1cs.NewBuilder, &cubic{})
	if err != nil {
		t.Fatal(err)
	}
	_, vk, err := groth16.Setup(ccs)
	if err != nil {
		t.Fatal(err)
	}
	if err := solidity.Export(vk, new(bytes.Buffer)); err == nil || !strings.Contains(err.Error(), "BN254") {
		t.Fatalf("Export of a BLS12-381 key: %v, want an error naming BN254", err)
	}
	if err := solidity.Export(nil, new(bytes.Buffer)); err == nil {
		t.Fatal("Export of nil: no error")
	}
}

func TestCallNoCode(t *testing.T) {
	e, err := NewEVM(Latest)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Call(e.cfg.Origin, []byte{1, 2, 3, 4}); err == nil {
		t.Fatal("a call to an account without code: no error (it would pass for a verification)")
	}
	if _, err := NewEVM("shanghai"); err == nil {
		t.Fatal("NewEVM(shanghai): no error")
	}
}

func TestCompileError(t *testing.T) {
	solc := solcjs(t)
	_, err := Compile(context.Background(), solc, []byte("pragma solidity "+solidity.SolcVersion+";\ncontract A { function f() public { x = 1; } }"))
	if err == nil || !strings.Contains(err.Error(), "Undeclared identifier") {
		t.Fatalf("Compile of a bad source: %v, want solc's error", err)
	}
	_, err = Compile(context.Background(), solc, []byte("pragma solidity 0.8.25;\ncontract A {}"))
	if err == nil {
		t.Fatal("Compile of a source pinned to another solc: no error")
	}
}
