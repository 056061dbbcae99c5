package translate

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	conf "github.com/oneiros-zk/oneiros/plugins/evm/conformance"
	"github.com/oneiros-zk/oneiros/plugins/evm/container"
	"github.com/oneiros-zk/oneiros/plugins/evm/output"
)

// The Solidity examples (examples/evm: sources, solc's output and the command) run as
// transactions through the translation and through go-ethereum, which must agree; the
// containers they make are written back to examples/evm with EVM_WRITE_EXAMPLES=1 for
// `oneiros prove --isa evm`.

var examplesDir = filepath.Join("..", "..", "..", "examples", "evm")

func readBin(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(examplesDir, name+".bin"))
	if err != nil {
		t.Fatal(err)
	}
	code, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func word32(v *big.Int) []byte { return common.LeftPadBytes(v.Bytes(), 32) }

func addrWord(a string) []byte { return word32(addrInt(a)) }

// baseContainer is a block and a sender with ether, and the given transaction.
func baseContainer(t *testing.T, to string, data []byte, gas uint64) *container.Container {
	return mustParse(t, fmt.Sprintf(`{
 "env": {"currentCoinbase": %q, "currentGasLimit": "0x1c9c380", "currentNumber": "0x10", "currentTimestamp": "0x6553f100",
  "currentBaseFee": "0x07", "currentRandom": "0x0000000000000000000000000000000000000000000000000000000000020000"},
 "pre": {%q: {"balance": "0x3635c9adc5dea00000", "nonce": "0x00", "code": "0x", "storage": {}}},
 "transaction": {"sender": %q, "to": %q, "nonce": "0x00", "gasLimit": "0x%x", "gasPrice": "0x0a", "value": "0x00",
  "data": %q}
}`, coinbase, sender, sender, to, gas, hexOf(data)))
}

// next makes the container of the transaction that follows: the post-state of o as
// its pre-state, the sender's next nonce.
func next(c *container.Container, o *output.Outcome, to string, data []byte, gas uint64) *container.Container {
	n := *c
	n.Pre = o.Apply(c.Pre)
	n.Tx.Nonce = n.Pre[n.Tx.Sender].Nonce
	a := container.Address(common.HexToAddress(to))
	n.Tx.To, n.Tx.Data, n.Tx.GasLimit = &a, data, gas
	return &n
}

// gethTestOf writes a container as a one-case state test for go-ethereum.
func gethTestOf(c *container.Container) []byte {
	var j map[string]any
	json.Unmarshal(c.Marshal(), &j)
	tx := j["transaction"].(map[string]any)
	for _, k := range []string{"data", "gasLimit", "value"} {
		tx[k] = []any{tx[k]}
	}
	tx["secretKey"] = "0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8"
	delete(tx, "type")
	if tx["maxFeePerGas"] == nil {
		delete(tx, "maxFeePerGas")
		delete(tx, "maxPriorityFeePerGas")
	}
	env := j["env"].(map[string]any)
	delete(env, "blockHashes")
	delete(env, "chainId")
	env["currentDifficulty"] = "0x020000"
	j["post"] = map[string]any{"Cancun": []any{map[string]any{"hash": common.Hash{}.Hex(), "logs": common.Hash{}.Hex(),
		"indexes": map[string]int{"data": 0, "gas": 0, "value": 0}}}}
	b, _ := json.Marshal(map[string]any{"random": j})
	return b
}

// agree runs c through the translation and go-ethereum and checks that they agree.
func agree(t *testing.T, name string, c *container.Container) *output.Outcome {
	t.Helper()
	out, res, _ := runContainer(t, c, nil)
	want := runGeth(t, gethTestOf(c))
	if want.err != nil {
		t.Fatalf("%s: go-ethereum rejects the transaction: %v", name, want.err)
	}
	root, logs := conf.StateRoot(out.Apply(c.Pre)), conf.LogsHash(out.Logs)
	if common.Hash(root) != want.root || common.Hash(logs) != want.logs || out.GasUsed != want.gasUsed {
		t.Fatalf("%s: root %s logs %s gas %d (%s); go-ethereum: root %s logs %s gas %d", name, root, logs, out.GasUsed,
			out.Status, want.root, want.logs, want.gasUsed)
	}
	t.Logf("%s: %s, gas %d, %d cycles, %d logs", name, out.Status, out.GasUsed, res.Cycles, len(out.Logs))
	if os.Getenv("EVM_WRITE_EXAMPLES") != "" {
		if err := os.WriteFile(filepath.Join(examplesDir, name+".json"), c.Marshal(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func selector(sig string) []byte { h := container.Keccak256([]byte(sig)); return h[:4] }

func TestSolidityToken(t *testing.T) {
	supply := new(big.Int).Exp(big.NewInt(10), big.NewInt(24), nil)
	deploy := baseContainer(t, "", append(readBin(t, "Token"), word32(supply)...), 2_000_000)
	out := agree(t, "token_deploy", deploy)
	if out.Status != output.StatusSuccess || len(out.Logs) != 1 {
		t.Fatalf("deploy: %s, %d logs", out.Status, len(out.Logs))
	}
	token := createdAt(sender, 0)
	bob := "0x000000000000000000000000000000000000b0b0"
	amount := big.NewInt(1234567)
	transfer := next(deploy, out, token, append(append(selector("transfer(address,uint256)"), addrWord(bob)...), word32(amount)...), 100_000)
	out2 := agree(t, "token_transfer", transfer)
	if out2.Status != output.StatusSuccess || len(out2.Logs) != 1 || new(big.Int).SetBytes(out2.ReturnData).Int64() != 1 {
		t.Fatalf("transfer: %s, %d logs, returned %x", out2.Status, len(out2.Logs), out2.ReturnData)
	}
	// bob's balance slot: keccak256(bob ‖ 1) (balanceOf is the second slot).
	slot := container.Keccak256(addrWord(bob), word32(big.NewInt(1)))
	post := out2.Apply(transfer.Pre)
	if got := post[container.Address(common.HexToAddress(token))].Storage[slot]; got.Big().Cmp(amount) != 0 {
		t.Fatalf("bob's balance %s, want %s", got.Big(), amount)
	}
	// Too much: the transfer reverts with "balance".
	tooMuch := next(transfer, out2, token, append(append(selector("transfer(address,uint256)"), addrWord(sender)...), word32(supply)...), 100_000)
	tooMuch.Tx.Sender = container.Address(common.HexToAddress(bob))
	tooMuch.Pre[tooMuch.Tx.Sender] = &container.Account{Balance: big.NewInt(1e18), Storage: map[container.Word]container.Word{}}
	tooMuch.Tx.Nonce = 0
	if out3 := agree(t, "token_transfer_reverts", tooMuch); out3.Status != output.StatusRevert {
		t.Fatalf("overdraft: %s", out3.Status)
	}
}

func TestSoliditySquares(t *testing.T) {
	deploy := baseContainer(t, "", readBin(t, "Squares"), 1_000_000)
	out := agree(t, "squares_deploy", deploy)
	if out.Status != output.StatusSuccess {
		t.Fatalf("deploy: %s", out.Status)
	}
	squares := createdAt(sender, 0)
	n := int64(40)
	fill := next(deploy, out, squares, append(selector("fill(uint256)"), word32(big.NewInt(n))...), 3_000_000)
	out2 := agree(t, "squares_fill", fill)
	want := n * (n + 1) * (2*n + 1) / 6
	if out2.Status != output.StatusSuccess || new(big.Int).SetBytes(out2.ReturnData).Int64() != want {
		t.Fatalf("fill: %s, returned %x, want %d", out2.Status, out2.ReturnData, want)
	}
}

// rlpCreate is rlp([sender, nonce]) for a nonce below 0x80.
func rlpCreate(sender string, nonce byte) []byte {
	a := common.HexToAddress(sender)
	n := nonce
	if n == 0 {
		n = 0x80
	}
	return append(append([]byte{0xd6, 0x94}, a[:]...), n)
}

func createdAt(sender string, nonce byte) string {
	h := container.Keccak256(rlpCreate(sender, nonce))
	return common.BytesToAddress(h[12:]).Hex()
}
