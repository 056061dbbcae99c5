package translate

import (
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/vm"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/tests"

	conf "github.com/oneiros-zk/oneiros/plugins/evm/conformance"
	"github.com/oneiros-zk/oneiros/plugins/evm/container"
	"github.com/oneiros-zk/oneiros/plugins/evm/output"
)

// Differential tests against go-ethereum (test-only dependency): random transactions on
// random bytecode run through go-ethereum's state-test runner and through the
// translation on the reference executor; the post-state roots, the logs and the gas
// used must agree.

var (
	sender   = "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b"
	coinbase = "0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba"
	targets  = []string{"0x1000000000000000000000000000000000000001", "0x1000000000000000000000000000000000000002",
		"0x1000000000000000000000000000000000000003"}
)

// codeGen writes random, mostly well-formed bytecode: it tracks the stack depth so
// that most instructions have their operands, and jumps only forward to JUMPDESTs.
type codeGen struct {
	r     *rand.Rand
	code  []byte
	depth int
	fix   []int // PUSH2 placeholders of forward jumps
}

func (g *codeGen) op(b ...byte) { g.code = append(g.code, b...) }

func (g *codeGen) push(v *big.Int) {
	b := v.Bytes()
	if len(b) == 0 {
		g.op(0x5f)
	} else {
		g.op(byte(0x5f + len(b)))
		g.op(b...)
	}
	g.depth++
}

func (g *codeGen) small(n int) { g.push(big.NewInt(int64(g.r.IntN(n)))) }

func (g *codeGen) value() *big.Int {
	switch g.r.IntN(10) {
	case 0:
		return new(big.Int)
	case 1:
		return new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(int64(1+g.r.IntN(3))))
	case 2:
		return new(big.Int).Lsh(big.NewInt(1), 255)
	case 3:
		return new(big.Int).Lsh(big.NewInt(1), uint(g.r.IntN(256)))
	case 4, 5, 6:
		return big.NewInt(int64(g.r.IntN(300)))
	}
	b := make([]byte, 1+g.r.IntN(32))
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	return new(big.Int).SetBytes(b)
}

func (g *codeGen) ensure(n int) {
	for g.depth < n {
		g.push(g.value())
	}
}

// stmt emits one random instruction with its operands.
func (g *codeGen) stmt(self int) {
	r := g.r
	switch k := r.IntN(40); {
	case k < 10: // arithmetic, comparison, bitwise
		ops := []byte{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0a, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a, 0x1b, 0x1c, 0x1d}
		g.ensure(2)
		g.op(ops[r.IntN(len(ops))])
		g.depth--
		if r.IntN(4) == 0 {
			g.ensure(3)
			g.op([]byte{0x08, 0x09}[r.IntN(2)])
			g.depth -= 2
		}
		if r.IntN(4) == 0 {
			g.op([]byte{0x15, 0x19}[r.IntN(2)])
		}
	case k < 13:
		g.push(g.value())
	case k < 16: // DUP, SWAP, POP
		n := 1 + r.IntN(min(16, max(g.depth, 1)))
		switch r.IntN(3) {
		case 0:
			g.op(byte(0x7f + n))
			g.depth++
		case 1:
			g.op(byte(0x8f + n))
		default:
			if g.depth > 0 {
				g.op(0x50)
				g.depth--
			}
		}
	case k < 20: // memory
		switch r.IntN(5) {
		case 0:
			g.ensure(1)
			g.small(200)
			g.op(0x52)
			g.depth -= 2
		case 1:
			g.ensure(1)
			g.small(200)
			g.op(0x53)
			g.depth -= 2
		case 2:
			g.small(200)
			g.op(0x51)
		case 3:
			g.small(64)
			g.small(64)
			g.small(128)
			g.op(0x5e) // MCOPY
			g.depth -= 3
		default:
			g.small(64)
			g.small(128)
			g.op(0x20) // SHA3
			g.depth--
		}
	case k < 24: // storage
		switch r.IntN(4) {
		case 0, 1:
			g.ensure(1)
			g.small(4)
			g.op(0x55)
			g.depth -= 2
		case 2:
			g.small(4)
			g.op(0x54)
		default:
			g.ensure(1)
			g.small(3)
			g.op([]byte{0x5d, 0x5c}[r.IntN(2)])
			if g.code[len(g.code)-1] == 0x5d {
				g.depth -= 2
			}
		}
	case k < 28: // environment
		ops := []byte{0x30, 0x32, 0x33, 0x34, 0x36, 0x38, 0x3a, 0x3d, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x4a, 0x58, 0x59, 0x5a}
		g.op(ops[r.IntN(len(ops))])
		g.depth++
		switch r.IntN(6) {
		case 0:
			g.small(70)
			g.op(0x35) // CALLDATALOAD
		case 1:
			g.small(40)
			g.small(80)
			g.small(100)
			g.op([]byte{0x37, 0x39, 0x3e}[r.IntN(3)]) // CALLDATACOPY, CODECOPY, RETURNDATACOPY
			g.depth -= 3
		case 2:
			g.push(addrInt(targets[r.IntN(len(targets))]))
			g.op([]byte{0x31, 0x3b, 0x3f}[r.IntN(3)])
		case 3:
			g.small(3)
			g.op(0x40) // BLOCKHASH
		}
	case k < 30: // logs
		n := r.IntN(5)
		for range n {
			g.push(g.value())
		}
		g.small(32)
		g.small(64)
		g.op(byte(0xa0 + n))
		g.depth -= 2 + n
	case k < 33: // calls
		kind := []byte{0xf1, 0xf2, 0xf4, 0xfa}[r.IntN(4)]
		g.small(32)
		g.small(64)
		g.small(16)
		g.small(32)
		if kind == 0xf1 || kind == 0xf2 {
			g.small(3)
		}
		to := targets[r.IntN(len(targets))]
		if r.IntN(8) == 0 {
			to = "0x0000000000000000000000000000000000000004"
		}
		g.push(addrInt(to))
		g.push(big.NewInt(int64(r.IntN(60000))))
		g.op(kind)
		if kind == 0xf1 || kind == 0xf2 {
			g.depth -= 6
		} else {
			g.depth -= 5
		}
	case k < 34: // CREATE or CREATE2 of a small init code stored in memory
		init := initCode(r)
		g.push(new(big.Int).SetBytes(init))
		g.push(big.NewInt(0))
		g.op(0x52)
		g.depth -= 2
		if r.IntN(2) == 0 {
			g.push(big.NewInt(int64(len(init))))
			g.push(big.NewInt(int64(32 - len(init))))
			g.small(2)
			g.op(0xf0)
			g.depth -= 2
		} else {
			g.push(g.value())
			g.push(big.NewInt(int64(len(init))))
			g.push(big.NewInt(int64(32 - len(init))))
			g.small(2)
			g.op(0xf5)
			g.depth -= 3
		}
	case k < 37: // a forward jump
		g.op(0x61, 0, 0)
		g.fix = append(g.fix, len(g.code)-2)
		if r.IntN(2) == 0 {
			g.ensure(1)
			g.op(0x57)
			g.depth--
		} else {
			g.op(0x56)
		}
	case k < 39:
		g.op(0x5b)
		g.depth = max(g.depth, 0)
	default: // rarely: an odd opcode
		g.op([]byte{0xfe, 0x0c, 0x21, 0xef}[r.IntN(4)])
	}
}

// initCode returns an init code (at most 32 bytes) that deploys a short runtime or
// reverts.
func initCode(r *rand.Rand) []byte {
	switch r.IntN(4) {
	case 0: // REVERT(0, 0)
		return []byte{0x5f, 0x5f, 0xfd}
	case 1: // RETURN a 0xEF-prefixed code: rejected
		return []byte{0x60, 0xef, 0x5f, 0x53, 0x60, 0x01, 0x5f, 0xf3}
	}
	// MSTORE8(0, 0x00 STOP) … RETURN(0, n): deploy n zero bytes, or SSTORE then return.
	return []byte{0x60, byte(1 + r.IntN(4)), 0x60, 0x07, 0x55, 0x60, byte(r.IntN(40)), 0x5f, 0xf3}
}

func addrInt(a string) *big.Int {
	v, _ := new(big.Int).SetString(a[2:], 16)
	return v
}

// program makes one contract's code.
func program(r *rand.Rand, self int) []byte {
	g := &codeGen{r: r}
	n := 5 + r.IntN(40)
	for range n {
		g.stmt(self)
	}
	for _, at := range g.fix { // resolve forward jumps to JUMPDESTs at the end or inside
		dst := len(g.code)
		if r.IntN(5) == 0 {
			dst = r.IntN(len(g.code) + 1)
		}
		g.code[at], g.code[at+1] = byte(dst>>8), byte(dst)
	}
	g.op(0x5b)
	switch r.IntN(5) {
	case 0:
		g.small(40)
		g.small(64)
		g.op(0xf3)
	case 1:
		g.small(40)
		g.small(64)
		g.op(0xfd)
	case 2:
		g.push(addrInt(targets[r.IntN(len(targets))]))
		g.op(0xff)
	default:
		g.op(0x00)
	}
	return g.code
}

// randomTest makes one state test (geth's JSON) with a single Cancun post entry.
func randomTest(r *rand.Rand) []byte {
	pre := map[string]any{
		sender: map[string]any{"balance": "0x3635c9adc5dea00000", "nonce": "0x01", "code": "0x", "storage": map[string]string{}},
	}
	for k, a := range targets {
		st := map[string]string{}
		if r.IntN(2) == 0 {
			st["0x01"] = "0x2a"
			st["0x02"] = "0x00"
		}
		pre[a] = map[string]any{"balance": fmt.Sprintf("0x%x", r.IntN(3)*1000), "nonce": "0x00",
			"code": hexOf(program(r, k)), "storage": st}
	}
	if r.IntN(6) == 0 { // an empty account to touch
		pre["0x1000000000000000000000000000000000000003"] = map[string]any{"balance": "0x0", "nonce": "0x00", "code": "0x", "storage": map[string]string{}}
	}
	to := targets[0]
	data := make([]byte, r.IntN(70))
	for i := range data {
		if r.IntN(3) > 0 {
			data[i] = byte(r.Uint32())
		}
	}
	if r.IntN(8) == 0 {
		to, data = "", program(r, 0)
	}
	tx := map[string]any{
		"data": []string{hexOf(data)}, "gasLimit": []string{fmt.Sprintf("0x%x", 21000+r.IntN(400000))},
		"value": []string{fmt.Sprintf("0x%x", r.IntN(3)*7)}, "nonce": "0x01", "to": to, "sender": sender,
		"secretKey": "0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8",
	}
	switch r.IntN(4) {
	case 0:
		tx["maxFeePerGas"], tx["maxPriorityFeePerGas"] = "0x20", fmt.Sprintf("0x%x", r.IntN(30))
	case 1:
		tx["gasPrice"] = "0x0a"
		tx["accessLists"] = []any{[]any{map[string]any{"address": targets[1],
			"storageKeys": []string{"0x0000000000000000000000000000000000000000000000000000000000000001"}}}}
	default:
		tx["gasPrice"] = "0x0a"
	}
	test := map[string]any{"random": map[string]any{
		"env": map[string]any{"currentCoinbase": coinbase, "currentGasLimit": "0x05f5e100", "currentNumber": "0x05",
			"currentTimestamp": "0x03e8", "currentBaseFee": "0x07", "currentDifficulty": "0x020000",
			"currentRandom": "0x0000000000000000000000000000000000000000000000000000000000020000", "currentExcessBlobGas": "0x00"},
		"pre": pre, "transaction": tx,
		"post": map[string]any{"Cancun": []any{map[string]any{"hash": common.Hash{}.Hex(), "logs": common.Hash{}.Hex(),
			"indexes": map[string]int{"data": 0, "gas": 0, "value": 0}}}},
	}}
	b, _ := json.Marshal(test)
	return b
}

// containerOf turns a one-case state test into a container, with the block hashes of
// the state tests' convention.
func containerOf(t *testing.T, raw []byte) *container.Container {
	var tests map[string]struct {
		Env         map[string]string          `json:"env"`
		Pre         map[string]json.RawMessage `json:"pre"`
		Transaction map[string]any             `json:"transaction"`
	}
	if err := json.Unmarshal(raw, &tests); err != nil {
		t.Fatal(err)
	}
	tt := tests["random"]
	tx := map[string]any{}
	for k, v := range tt.Transaction {
		switch k {
		case "data", "gasLimit", "value":
			tx[k] = v.([]any)[0]
		case "accessLists":
			tx["accessList"] = v.([]any)[0]
			tx["type"] = "0x1"
		case "maxFeePerGas":
			tx[k] = v
			tx["type"] = "0x2"
		default:
			tx[k] = v
		}
	}
	number, _ := strconv.ParseUint(tt.Env["currentNumber"][2:], 16, 64)
	hashes := map[string]string{}
	for n := uint64(0); n < number; n++ {
		hashes[fmt.Sprintf("0x%x", n)] = container.Keccak256([]byte(fmt.Sprint(n))).String()
	}
	env := map[string]any{}
	for k, v := range tt.Env {
		env[k] = v
	}
	env["blockHashes"] = hashes
	src, _ := json.Marshal(map[string]any{"env": env, "pre": tt.Pre, "transaction": tx})
	c, err := container.Parse(src)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return c
}

type gethResult struct {
	root    common.Hash
	logs    common.Hash
	gasUsed uint64
	err     error
}

func runGeth(t *testing.T, raw []byte) gethResult {
	var sts map[string]*tests.StateTest
	if err := json.Unmarshal(raw, &sts); err != nil {
		t.Fatal(err)
	}
	st, root, gas, err := sts["random"].RunNoVerify(tests.StateSubtest{Fork: "Cancun", Index: 0}, vm.Config{}, false, rawdb.HashScheme)
	defer st.Close()
	res := gethResult{root: root, gasUsed: gas, err: err}
	if err == nil {
		enc, _ := rlp.EncodeToBytes(st.StateDB.Logs())
		res.logs = crypto.Keccak256Hash(enc)
	}
	return res
}

func TestDifferentialGeth(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 60
	}
	if s := os.Getenv("EVM_DIFF_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	seed := uint64(1)
	if s := os.Getenv("EVM_DIFF_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	r := rand.New(rand.NewPCG(seed, 99))
	fails := 0
	for k := range n {
		raw := randomTest(r)
		want := runGeth(t, raw)
		c := containerOf(t, raw)
		out, _, _ := runContainer(t, c, nil)
		// The interpreter alone must agree as well.
		if in, _, _ := runMode(t, c, nil, true); in.Status != out.Status || in.GasUsed != out.GasUsed ||
			conf.StateRoot(in.Apply(c.Pre)) != conf.StateRoot(out.Apply(c.Pre)) || conf.LogsHash(in.Logs) != conf.LogsHash(out.Logs) {
			t.Errorf("test %d: the interpreter ends with %s, gas %d; the translation with %s, gas %d", k, in.Status, in.GasUsed, out.Status, out.GasUsed)
			fails++
		}
		if want.err != nil {
			if out.Status != output.StatusInvalid {
				t.Errorf("test %d: geth rejects the transaction (%v), the translation ran it (%s)", k, want.err, out.Status)
				fails++
			}
			continue
		}
		root := conf.StateRoot(out.Apply(c.Pre))
		logs := conf.LogsHash(out.Logs)
		if common.Hash(root) != want.root || common.Hash(logs) != want.logs || out.GasUsed != want.gasUsed {
			t.Errorf("test %d: root %s logs %s gas %d (%s), geth: root %s logs %s gas %d", k, root, logs, out.GasUsed, out.Status,
				want.root, want.logs, want.gasUsed)
			if fails < 1 && os.Getenv("EVM_DIFF_DUMP") != "" {
				os.WriteFile(os.Getenv("EVM_DIFF_DUMP"), raw, 0o644)
			}
			if fails < 3 {
				t.Logf("test %d: %s", k, raw)
			}
			fails++
		}
		if fails > 10 {
			t.Fatal("too many differences")
		}
	}
}
