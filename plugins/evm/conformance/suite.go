package conformance

import (
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"

	"github.com/oneiros-zk/oneiros/plugins/evm/container"
)

// Case is one state-test case: a (data, gas, value) choice of a test's transaction with
// its expected outcome under Cancun.
type Case struct {
	ID       string
	Group    string
	File     string // upstream path
	Test     string
	Label    string
	Indexes  Indexes
	HasState bool

	Container *container.Container
	Want      Expect

	post []byte // the fixture's post-state, as a container's pre-state (nil when it has none)
}

// Indexes pick the transaction's data, gas limit and value.
type Indexes struct {
	Data  int `json:"data"`
	Gas   int `json:"gas"`
	Value int `json:"value"`
}

// Expect is a case's expected outcome.
type Expect struct {
	StateRoot container.Word
	LogsHash  container.Word
	State     map[container.Address]*container.Account // nil when the fixture has none
	GasUsed   *uint64
}

type caseEntry struct {
	ID       string  `json:"id"`
	Group    string  `json:"group"`
	File     string  `json:"file"`
	Test     string  `json:"test"`
	Fork     string  `json:"fork"`
	Indexes  Indexes `json:"indexes"`
	Label    string  `json:"label"`
	HasState bool    `json:"has_state"`
}

type stateTest struct {
	Env         map[string]string          `json:"env"`
	Pre         map[string]json.RawMessage `json:"pre"`
	Transaction struct {
		Data                 []string          `json:"data"`
		GasLimit             []string          `json:"gasLimit"`
		Value                []string          `json:"value"`
		GasPrice             string            `json:"gasPrice"`
		MaxFeePerGas         string            `json:"maxFeePerGas"`
		MaxPriorityFeePerGas string            `json:"maxPriorityFeePerGas"`
		Nonce                string            `json:"nonce"`
		To                   string            `json:"to"`
		Sender               string            `json:"sender"`
		AccessLists          []json.RawMessage `json:"accessLists"`
	} `json:"transaction"`
	Post map[string][]struct {
		Indexes Indexes                    `json:"indexes"`
		Hash    string                     `json:"hash"`
		Logs    string                     `json:"logs"`
		State   map[string]json.RawMessage `json:"state"`
		GasUsed string                     `json:"gasUsed"`
	} `json:"post"`
}

// Load reads a suite directory: cases.json and the group folders of state tests.
func Load(dir string) ([]*Case, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "cases.json"))
	if err != nil {
		return nil, err
	}
	var entries []caseEntry
	if err := json.Unmarshal(raw, &entries); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "cases.json"), err)
	}
	files := map[string]map[string]*stateTest{}
	var out []*Case
	for _, e := range entries {
		path := filepath.Join(dir, e.Group, strings.ReplaceAll(e.File, "/", "__"))
		tests, ok := files[path]
		if !ok {
			b, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("case %s: %w", e.ID, err)
			}
			if err := json.Unmarshal(b, &tests); err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			files[path] = tests
		}
		t := tests[e.Test]
		if t == nil {
			return nil, fmt.Errorf("case %s: no test %q in %s", e.ID, e.Test, path)
		}
		c, err := newCase(e, t)
		if err != nil {
			return nil, fmt.Errorf("case %s: %w", e.ID, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func pick(list []string, k int, what string) (string, error) {
	if k < 0 || k >= len(list) {
		return "", fmt.Errorf("%s index %d out of %d", what, k, len(list))
	}
	return list[k], nil
}

func newCase(e caseEntry, t *stateTest) (*Case, error) {
	c := &Case{ID: e.ID, Group: e.Group, File: e.File, Test: e.Test, Label: e.Label, Indexes: e.Indexes, HasState: e.HasState}
	tx := t.Transaction
	data, err := pick(tx.Data, e.Indexes.Data, "data")
	if err != nil {
		return nil, err
	}
	gas, err := pick(tx.GasLimit, e.Indexes.Gas, "gas")
	if err != nil {
		return nil, err
	}
	value, err := pick(tx.Value, e.Indexes.Value, "value")
	if err != nil {
		return nil, err
	}
	// The container: the test with this case's values, and the block hashes of the
	// state tests' convention (keccak256 of the decimal block number).
	env := map[string]any{}
	for k, v := range t.Env {
		env[k] = v
	}
	number, ok := new(big.Int).SetString(strings.TrimPrefix(t.Env["currentNumber"], "0x"), 16)
	if !ok {
		return nil, fmt.Errorf("env.currentNumber %q", t.Env["currentNumber"])
	}
	hashes := map[string]string{}
	for n := int64(max(0, number.Int64()-256)); n < number.Int64(); n++ {
		hashes[fmt.Sprintf("0x%x", n)] = container.Keccak256([]byte(fmt.Sprint(n))).String()
	}
	env["blockHashes"] = hashes
	txj := map[string]any{"sender": tx.Sender, "to": tx.To, "nonce": tx.Nonce, "gasLimit": gas, "value": value, "data": data}
	if tx.MaxFeePerGas != "" {
		txj["type"] = "0x2"
		txj["maxFeePerGas"], txj["maxPriorityFeePerGas"] = tx.MaxFeePerGas, tx.MaxPriorityFeePerGas
	} else {
		txj["gasPrice"] = tx.GasPrice
	}
	if len(tx.AccessLists) > e.Indexes.Data && string(tx.AccessLists[e.Indexes.Data]) != "null" {
		var al any
		if err := json.Unmarshal(tx.AccessLists[e.Indexes.Data], &al); err != nil {
			return nil, err
		}
		txj["accessList"] = al
		if txj["type"] == nil {
			txj["type"] = "0x1"
		}
	}
	src, err := json.Marshal(map[string]any{"env": env, "pre": t.Pre, "transaction": txj})
	if err != nil {
		return nil, err
	}
	if c.Container, err = container.Parse(src); err != nil {
		return nil, err
	}
	// The expectation.
	for _, p := range t.Post["Cancun"] {
		if p.Indexes != e.Indexes {
			continue
		}
		if c.Want.StateRoot, err = word(p.Hash); err != nil {
			return nil, fmt.Errorf("post hash: %w", err)
		}
		if c.Want.LogsHash, err = word(p.Logs); err != nil {
			return nil, fmt.Errorf("post logs: %w", err)
		}
		if p.State != nil {
			stateSrc, _ := json.Marshal(map[string]any{"env": t.Env, "pre": p.State,
				"transaction": map[string]any{"sender": tx.Sender, "to": "", "nonce": "0x0", "gasLimit": "0x0", "gasPrice": "0x0", "value": "0x0", "data": "0x"}})
			sc, err := container.Parse(stateSrc)
			if err != nil {
				return nil, fmt.Errorf("post state: %w", err)
			}
			c.Want.State, c.post = sc.Pre, sc.Marshal()
		}
		if p.GasUsed != "" {
			g, ok := new(big.Int).SetString(strings.TrimPrefix(p.GasUsed, "0x"), 16)
			if !ok || !g.IsUint64() {
				return nil, fmt.Errorf("post gasUsed %q", p.GasUsed)
			}
			v := g.Uint64()
			c.Want.GasUsed = &v
		}
		return c, nil
	}
	return nil, fmt.Errorf("no Cancun post entry with indexes %+v", e.Indexes)
}

func word(s string) (container.Word, error) {
	b, err := container.ParseHex(s)
	if err != nil || len(b) != 32 {
		return container.Word{}, fmt.Errorf("%q is not 32 bytes of hex", s)
	}
	return container.Word(b), nil
}
