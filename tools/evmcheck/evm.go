package evmcheck

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm"
	"github.com/ethereum/go-ethereum/core/vm/runtime"
	"github.com/ethereum/go-ethereum/params"
	"golang.org/x/crypto/sha3"
)

// Fork is the set of Ethereum rules an [EVM] runs under: every fork up to and including
// the named one is active from block 0. Each has the BN254 precompiles at 0x06 (add),
// 0x07 (scalar multiplication) and 0x08 (pairing check), with the EIP-1108 prices, and
// MODEXP at 0x05.
type Fork string

const (
	// Cancun: the first fork with every opcode solc 0.8.26 emits by default (MCOPY, TSTORE).
	Cancun Fork = "cancun"
	// Prague adds the calldata floor of EIP-7623 (a transaction pays at least 10 gas per
	// calldata token) to what a transaction costs; a call's execution is priced as in Cancun.
	Prague Fork = "prague"
	// Osaka (Ethereum's mainnet since December 2025) reprices MODEXP (EIP-7883), which the
	// compressed entry point calls for each square root, and caps a transaction at 2²⁴
	// gas (EIP-7825).
	Osaka Fork = "osaka"
)

// Latest is the newest fork go-ethereum v1.16.8 runs on mainnet.
const Latest = Osaka

// CallGas is the gas a call or a deployment gets: the transaction cap of EIP-7825.
const CallGas = 1 << 24

func (f Fork) config() (*params.ChainConfig, error) {
	c := *params.MergedTestChainConfig // every fork at 0; later forks are switched off below
	c.BPO1Time, c.BPO2Time, c.BPO3Time, c.BPO4Time, c.BPO5Time = nil, nil, nil, nil, nil
	c.AmsterdamTime, c.VerkleTime = nil, nil
	switch f {
	case Cancun:
		c.PragueTime, c.OsakaTime = nil, nil
	case Prague:
		c.OsakaTime = nil
	case Osaka:
	default:
		return nil, fmt.Errorf("solidity: unknown fork %q (want %s, %s or %s)", f, Cancun, Prague, Osaka)
	}
	return &c, nil
}

// EVM is go-ethereum's EVM over an in-memory state, one block at height 0 under one [Fork].
// It is not safe for concurrent use.
type EVM struct {
	fork  Fork
	rules params.Rules
	cfg   runtime.Config
}

// NewEVM returns an EVM with an empty state under fork.
func NewEVM(fork Fork) (*EVM, error) {
	cc, err := fork.config()
	if err != nil {
		return nil, err
	}
	db, err := state.New(types.EmptyRootHash, state.NewDatabaseForTesting())
	if err != nil {
		return nil, err
	}
	e := &EVM{fork: fork, cfg: runtime.Config{
		ChainConfig: cc,
		GasLimit:    CallGas,
		Origin:      common.HexToAddress("0x0e1e05"),
		State:       db,
	}}
	e.rules = cc.Rules(new(big.Int), true, 0)
	if !e.rules.IsCancun {
		return nil, fmt.Errorf("solidity: fork %s: Cancun is not active (go-ethereum's configuration changed?)", fork)
	}
	return e, nil
}

// Fork is the fork e runs under.
func (e *EVM) Fork() Fork { return e.fork }

// Result is the outcome of one call.
type Result struct {
	// OK is true when the call returned without reverting. The verifier contract's entry
	// points return nothing and revert on a bad proof, so OK is "the proof verified".
	OK bool
	// GasUsed is the gas the call's execution used: what the EVM charged after the
	// transaction's intrinsic cost (21000 and the calldata) was paid.
	GasUsed uint64
	// TxGas is what a transaction carrying the call would pay: 21000, the calldata
	// (EIP-2028), GasUsed, and, from Prague on, at least the calldata floor (EIP-7623).
	TxGas uint64
	// Return is what the call returned or, when it reverted, the revert data.
	Return []byte
	// Reason says why the call failed: a custom error of the contract
	// ("ProofInvalid()", "CommitmentInvalid()", "PublicInputNotInField()"), a require
	// message, "reverted without data" (e.g. an unknown selector), or the EVM's error
	// (out of gas, invalid opcode). Empty when OK.
	Reason string
	// Err is the EVM's error (vm.ErrExecutionReverted for a revert); nil when OK.
	Err error
}

// Deploy runs creation code (a [Contract]'s Deploy) in a creation transaction and
// returns the new contract's address and the transaction's gas (intrinsic included).
func (e *EVM) Deploy(creation []byte) (common.Address, uint64, error) {
	if len(creation) == 0 {
		return common.Address{}, 0, errors.New("solidity: empty creation code")
	}
	code, addr, left, err := runtime.Create(creation, &e.cfg)
	if err != nil {
		return common.Address{}, 0, fmt.Errorf("solidity: deploying: %w", err)
	}
	if len(code) == 0 {
		return common.Address{}, 0, errors.New("solidity: the creation code deployed no code")
	}
	gas, err := e.txGas(creation, true, CallGas-left)
	return addr, gas, err
}

// Call calls the contract at addr with calldata, as a transaction from an externally
// owned account would (the access list is reset first: every account and slot it
// touches is cold, the precompiles warm), and reports the outcome. Only a failure of
// the host (not of the call) is an error: a revert is a Result with OK false.
func (e *EVM) Call(addr common.Address, calldata []byte) (Result, error) {
	if len(e.cfg.State.GetCode(addr)) == 0 {
		// A call to an address with no code succeeds: it must not pass for a verification.
		return Result{}, fmt.Errorf("solidity: no contract at %s", addr)
	}
	ret, left, err := runtime.Call(addr, calldata, &e.cfg)
	r := Result{OK: err == nil, GasUsed: CallGas - left, Return: ret, Err: err}
	if r.TxGas, err = e.txGas(calldata, false, r.GasUsed); err != nil {
		return Result{}, err
	}
	if r.Err != nil {
		r.Reason = reason(r.Err, ret)
	}
	return r, nil
}

// txGas is what a transaction with data and execution gas exec pays.
func (e *EVM) txGas(data []byte, create bool, exec uint64) (uint64, error) {
	intrinsic, err := core.IntrinsicGas(data, nil, nil, create, e.rules.IsHomestead, e.rules.IsIstanbul, e.rules.IsShanghai)
	if err != nil {
		return 0, err
	}
	gas := intrinsic + exec
	if e.rules.IsPrague {
		floor, err := core.FloorDataGas(data)
		if err != nil {
			return 0, err
		}
		gas = max(gas, floor)
	}
	return gas, nil
}

// The verifier's custom errors, by selector.
var customErrors = func() map[[4]byte]string {
	m := map[[4]byte]string{}
	for _, sig := range []string{"ProofInvalid()", "CommitmentInvalid()", "PublicInputNotInField()"} {
		m[[4]byte(selector(sig))] = sig
	}
	return m
}()

func reason(err error, ret []byte) string {
	if !errors.Is(err, vm.ErrExecutionReverted) {
		return err.Error()
	}
	if len(ret) == 0 {
		return "reverted without data"
	}
	if len(ret) >= 4 {
		if s, ok := customErrors[[4]byte(ret[:4])]; ok && len(ret) == 4 {
			return s
		}
		if bytes.Equal(ret[:4], selector("Error(string)")) {
			if msg, err := abi.UnpackRevert(ret); err == nil {
				return msg
			}
		}
	}
	return fmt.Sprintf("reverted with %x", ret)
}

// Code is the code stored at addr.
func (e *EVM) Code(addr common.Address) []byte { return e.cfg.State.GetCode(addr) }

// selector is the 4-byte ABI selector of a function or error signature.
func selector(signature string) []byte {
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte(signature))
	return h.Sum(nil)[:4]
}
