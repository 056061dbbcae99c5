package evmcheck

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"

	"github.com/oneiros-zk/oneiros/proving/injector/solidity"
)

// Contract is one compiled contract.
type Contract struct {
	Name    string
	Deploy  []byte          // creation code: what a deployment transaction carries
	Runtime []byte          // deployed code: what the chain stores at the contract's address
	ABI     json.RawMessage // the ABI, as solc writes it
}

// OptimizerRuns is solc's --optimize-runs that [Compile] uses (solc's default).
const OptimizerRuns = 200

// Compile compiles one Solidity source with npm's solcjs (the solc package, the
// compiler built to WebAssembly; no native solc needed), with the optimizer on
// ([OptimizerRuns]) and [solidity.EVMVersion] as target, and returns its one deployable contract
// (interfaces and libraries with no code aside). It runs solcjsPath --standard-json in
// a temporary directory, removed after: the standard-JSON interface is solcjs's only way
// to get the deployed (runtime) code next to the creation code and the ABI, and it
// reports errors structurally; the options are those of `solcjs --bin --abi --optimize`.
//
// A source pinned to another compiler (as [Export]'s contract is, to [solidity.SolcVersion])
// fails here with solc's own message.
func Compile(ctx context.Context, solcjsPath string, source []byte) (*Contract, error) {
	if solcjsPath == "" {
		return nil, errors.New("solidity: no solcjs path (scripts/solc.sh installs one and prints it)")
	}
	const file = "Source.sol"
	input, err := json.Marshal(map[string]any{
		"language": "Solidity",
		"sources":  map[string]any{file: map[string]string{"content": string(source)}},
		"settings": map[string]any{
			"optimizer":  map[string]any{"enabled": true, "runs": OptimizerRuns},
			"evmVersion": solidity.EVMVersion,
			"outputSelection": map[string]any{
				"*": map[string][]string{"*": {"abi", "evm.bytecode.object", "evm.deployedBytecode.object"}},
			},
		},
	})
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "oneiros-solc-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, solcjsPath, "--standard-json")
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(input)
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("solidity: %s --standard-json: %w: %s", solcjsPath, err, strings.TrimSpace(stderr.String()))
	}
	return parseOutput(stdout.Bytes(), file)
}

// solcOutput is the part of solc's standard-JSON output that Compile reads.
type solcOutput struct {
	Errors []struct {
		Severity         string `json:"severity"`
		FormattedMessage string `json:"formattedMessage"`
	} `json:"errors"`
	Contracts map[string]map[string]struct {
		ABI json.RawMessage `json:"abi"`
		EVM struct {
			Bytecode         struct{ Object string } `json:"bytecode"`
			DeployedBytecode struct{ Object string } `json:"deployedBytecode"`
		} `json:"evm"`
	} `json:"contracts"`
}

func parseOutput(out []byte, file string) (*Contract, error) {
	// solcjs may print notices before the JSON document.
	if i := bytes.IndexByte(out, '{'); i > 0 {
		out = out[i:]
	}
	var o solcOutput
	if err := json.Unmarshal(out, &o); err != nil {
		return nil, fmt.Errorf("solidity: solc's output is not standard JSON: %w: %.200q", err, out)
	}
	var msgs []string
	for _, e := range o.Errors {
		if e.Severity == "error" {
			msgs = append(msgs, strings.TrimSpace(e.FormattedMessage))
		}
	}
	if len(msgs) > 0 {
		return nil, fmt.Errorf("solidity: solc: %s", strings.Join(msgs, "\n"))
	}
	var found []*Contract
	for name, c := range o.Contracts[file] {
		if c.EVM.Bytecode.Object == "" {
			continue // an interface or an abstract contract
		}
		deploy, err := hex.DecodeString(c.EVM.Bytecode.Object)
		if err != nil {
			return nil, fmt.Errorf("solidity: %s's creation code: %w", name, err)
		}
		runtime, err := hex.DecodeString(c.EVM.DeployedBytecode.Object)
		if err != nil {
			return nil, fmt.Errorf("solidity: %s's deployed code: %w", name, err)
		}
		found = append(found, &Contract{Name: name, Deploy: deploy, Runtime: runtime, ABI: c.ABI})
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, errors.New("solidity: the source has no deployable contract")
	}
	names := make([]string, len(found))
	for i, c := range found {
		names[i] = c.Name
	}
	sort.Strings(names)
	return nil, fmt.Errorf("solidity: the source has %d deployable contracts (%s); Compile takes one", len(found), strings.Join(names, ", "))
}
