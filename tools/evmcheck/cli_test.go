package evmcheck

import (
	"bytes"
	"context"

	"encoding/hex"
	"github.com/ethereum/go-ethereum/common"
	"os"
	"path/filepath"
	"testing"
)

// TestCLIWrappedInEVM verifies, in go-ethereum's EVM, what the oneiros CLI exports for
// a wrapped zkVM run: the contract of `oneiros export solidity` (Verifier.sol) called
// with the data of `oneiros export calldata` (run.calldata), both in the directory
// ONEIROS_WRAP_OUT (host/pipeline's TestWrapEndToEnd or `make demo-wrap` write them).
// The call succeeds within 300k gas; a flipped proof byte and another claim_root,
// program key or vk_root (the call's three public inputs) revert. Without ONEIROS_WRAP_OUT the test skips, saying how to run it.
func TestCLIWrappedInEVM(t *testing.T) {
	dir := os.Getenv("ONEIROS_WRAP_OUT")
	if dir == "" {
		t.Skip("SKIPPED: ONEIROS_WRAP_OUT names no directory of a wrapped run's Verifier.sol and run.calldata (make demo-wrap, or make test-wrap, writes them and runs this test)")
	}
	solc := solcjs(t)
	src, err := os.ReadFile(filepath.Join(dir, "Verifier.sol"))
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(filepath.Join(dir, "run.calldata"))
	if err != nil {
		t.Fatal(err)
	}
	call, err := hex.DecodeString(string(bytes.TrimSpace(text)))
	if err != nil {
		t.Fatalf("run.calldata: %v", err)
	}
	evm, addr, deployGas := deploy(t, solc, src)
	res, err := evm.Call(addr, call)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK {
		t.Fatalf("the wrapped run's proof reverts in the EVM: %s", res.Reason)
	}
	t.Logf("EVM (%s): verifyProof %d gas execution, %d per transaction; deployment %d gas", evm.Fork(), res.GasUsed, res.TxGas, deployGas)
	if res.TxGas > 300_000 {
		t.Errorf("verification costs %d gas, the target is 300k", res.TxGas)
	}
	flipped := bytes.Clone(call)
	flipped[len(flipped)-40] ^= 1 // inside the proof's point C
	if res, err := evm.Call(addr, flipped); err != nil || res.OK {
		t.Fatalf("a flipped proof byte: ok=%v err=%v", res.OK, err)
	}
	for i, name := range []string{"claim_root", "program key", "vk_root"} {
		other := bytes.Clone(call)
		other[4+32+32*i+31] ^= 1 // input i: the words after the proof's offset
		if res, err := evm.Call(addr, other); err != nil || res.OK {
			t.Fatalf("another %s: ok=%v err=%v", name, res.OK, err)
		}
	}
}

// deploy compiles a contract with solcjs and deploys it in a fresh EVM under the
// latest fork: the EVM, the contract's address and the deployment's gas.
func deploy(t *testing.T, solc string, src []byte) (*EVM, common.Address, uint64) {
	t.Helper()
	contract, err := Compile(context.Background(), solc, src)
	if err != nil {
		t.Fatal(err)
	}
	evm, err := NewEVM(Latest)
	if err != nil {
		t.Fatal(err)
	}
	addr, gas, err := evm.Deploy(contract.Deploy)
	if err != nil {
		t.Fatal(err)
	}
	return evm, addr, gas
}
