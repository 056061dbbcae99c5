package translate

import (
	"context"
	"fmt"
	"math/big"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/plugins/evm/container"
	"github.com/oneiros-zk/oneiros/plugins/evm/output"
	"github.com/oneiros-zk/oneiros/proving/hemera"
)

// Hostile bytecode and malformed transactions end in the EVM's defined outcome (the
// same as go-ethereum's), never in a trap of the normalized machine, and those runs
// prove like any other.

type hostile struct {
	name   string
	code   string // the recipient's code
	data   string
	gas    uint64
	edit   func(c *container.Container)
	status output.Status
}

var hostiles = []hostile{
	{name: "stack underflow", code: "0x01", status: output.StatusHalt},
	{name: "stack overflow", code: "0x5b5f600056", status: output.StatusHalt},          // JUMPDEST PUSH0 PUSH1 0 JUMP: +1 a loop
	{name: "infinite loop", code: "0x5b600056", gas: 60000, status: output.StatusHalt}, // out of gas
	{name: "jump into push data", code: "0x600456605b00", status: output.StatusHalt},
	{name: "jump past the end", code: "0x61ffff56", status: output.StatusHalt},
	{name: "jump to 2^200", code: "0x79010000000000000000000000000000000000000000000000000056", status: output.StatusHalt},
	{name: "jumpi not taken", code: "0x5f61ffff5700", status: output.StatusSuccess},
	{name: "undefined opcode", code: "0x0c", status: output.StatusHalt},
	{name: "invalid", code: "0xfe", status: output.StatusHalt},
	{name: "mstore at 2^32", code: "0x600164010000000052", status: output.StatusHalt},
	{name: "mload at 2^255", code: "0x7f800000000000000000000000000000000000000000000000000000000000000051", status: output.StatusHalt},
	{name: "huge calldatacopy", code: "0x63ffffffff5f5f37", status: output.StatusHalt},
	{name: "returndatacopy past the end", code: "0x60015f5f3e", status: output.StatusHalt},
	{name: "zero-length copy at 2^255", code: "0x5f5f7f80000000000000000000000000000000000000000000000000000000000000003700", status: output.StatusSuccess},
	{name: "sha3 of 2^32 bytes", code: "0x6401000000005f20", status: output.StatusHalt},
	{name: "sstore with 2300 gas left", code: "0x60015f55", gas: 21000 + 2300 + 6, status: output.StatusHalt},
	// Recursion to the depth limit: each frame calls itself with all its gas.
	{name: "call depth 1024", code: "0x5f5f5f5f5f305af1600155", gas: 30_000_000, status: output.StatusSuccess},
	// A static call into a contract that writes: the callee halts, the caller goes on.
	{name: "write in static call", code: "0x5f5f5f5f73100000000000000000000000000000000000000261fffffa60015500",
		status: output.StatusSuccess},
	{name: "create of 0xEF code", code: "0x6760ef5f5360015ff35f52600860185ff0600155", status: output.StatusSuccess},
	{name: "create2 twice: a collision", code: "0x6360015ff35f5260076004601c5ff560015560076004601c5ff5600255",
		status: output.StatusSuccess},
	{name: "selfdestruct to itself", code: "0x30ff", status: output.StatusSuccess},
	{name: "log in static call", code: "0x5f5f5f5f73100000000000000000000000000000000000000361fffffa60015500", status: output.StatusSuccess},
	// Malformed transactions: rejected, no state change.
	{name: "nonce too high", code: "0x00", edit: func(c *container.Container) { c.Tx.Nonce = 5 }, status: output.StatusInvalid},
	{name: "intrinsic gas", code: "0x00", gas: 20999, status: output.StatusInvalid},
	{name: "gas above the block", code: "0x00", gas: 0x7fffffff, status: output.StatusInvalid},
	{name: "balance too low", code: "0x00", edit: func(c *container.Container) { c.Tx.Value.Lsh(c.Tx.Value.SetInt64(1), 200) },
		status: output.StatusInvalid},
	{name: "price below the base fee", code: "0x00", edit: func(c *container.Container) { c.Tx.GasPrice.SetInt64(1) },
		status: output.StatusInvalid},
	{name: "sender with code", code: "0x00", edit: func(c *container.Container) { c.Pre[c.Tx.Sender].Code = []byte{0} },
		status: output.StatusInvalid},
}

func hostileContainer(t *testing.T, h hostile) *container.Container {
	gas := h.gas
	if gas == 0 {
		gas = 1_000_000
	}
	c := baseContainer(t, targets[0], nil, gas)
	c.Env.GasLimit = 30_000_000
	if h.data != "" {
		c.Tx.Data, _ = container.ParseHex(h.data)
	}
	code, err := container.ParseHex(h.code)
	if err != nil {
		t.Fatal(err)
	}
	add := func(a string, code []byte) {
		c.Pre[container.Address(addrBytes(a))] = &container.Account{Balance: newInt(0), Code: code, Storage: map[container.Word]container.Word{}}
	}
	add(targets[0], code)
	add(targets[1], []byte{0x60, 0x01, 0x5f, 0x55, 0x00}) // SSTORE(0, 1)
	add(targets[2], []byte{0x5f, 0x5f, 0xa0, 0x00})       // LOG0(0, 0)
	if h.edit != nil {
		h.edit(c)
	}
	return c
}

func TestHostile(t *testing.T) {
	for _, h := range hostiles {
		t.Run(h.name, func(t *testing.T) {
			c := hostileContainer(t, h)
			out, _, _ := runContainer(t, c, nil) // halts normally, or fails the test
			if out.Status != h.status {
				t.Errorf("status %s, want %s", out.Status, h.status)
			}
			if out.Status == output.StatusInvalid && (len(out.Accounts) != 0 || out.GasUsed != 0) {
				t.Errorf("an invalid transaction changed the state: %+v", out)
			}
			want := runGeth(t, gethTestOf(c))
			if (want.err != nil) != (out.Status == output.StatusInvalid) {
				t.Fatalf("go-ethereum: %v; translation: %s", want.err, out.Status)
			}
			if want.err == nil {
				agree(t, "", c)
			}
		})
	}
}

// TestHostileProves proves and verifies a sample of the hostile runs.
func TestHostileProves(t *testing.T) {
	if testing.Short() {
		t.Skip("proofs")
	}
	e, err := hemera.New(chiptest.Params)
	if err != nil {
		t.Fatal(err)
	}
	m := machine.New(e)
	for _, k := range []int{0, 2, 3, 9, 12, 17, 22} {
		h := hostiles[k]
		t.Run(h.name, func(t *testing.T) {
			bt, err := Build(hostileContainer(t, h))
			if err != nil {
				t.Fatal(err)
			}
			res, recs, err := machine.Execute(context.Background(), bt.Program, exec.Options{Limits: limits})
			if err != nil {
				t.Fatal(err)
			}
			st := machine.StatementOf(bt.Program, res, nil)
			keys, err := m.Setup(bt.Program)
			if err != nil {
				t.Fatal(err)
			}
			proof, err := m.Prove(keys, st, recs)
			if err != nil {
				t.Fatal(err)
			}
			if err := m.Verify(keys.VK, st, proof); err != nil {
				t.Fatal(err)
			}
			out, err := output.Decode(st.Output)
			if err != nil || out.Status != h.status {
				t.Fatalf("proven output %v, %v", out, err)
			}
			t.Log(fmt.Sprintf("%s: proven, %d cycles", out.Status, st.Cycles))
		})
	}
}

func addrBytes(a string) [20]byte {
	b, _ := container.ParseHex(a)
	var out [20]byte
	copy(out[:], b)
	return out
}

func newInt(v int64) *big.Int { return big.NewInt(v) }
