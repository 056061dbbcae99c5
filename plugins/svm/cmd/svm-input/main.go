// Command svm-input writes the private input of a Solana program run — the serialized
// program input without each account's room to grow (abi.Tape) — described by a JSON
// file, for `oneiros prove --isa svm program.so --input FILE`:
//
//	go run ./plugins/svm/cmd/svm-input transfer.json > transfer.in
//
//	{
//	  "program_id": "<base58 key>",
//	  "accounts": [
//	    {"key": "<base58>", "owner": "<base58>", "lamports": 1000000,
//	     "data_hex": "00ff…", "signer": false, "writable": true},
//	    {"dup_of": 0}
//	  ],
//	  "data_hex": "0500000000000000"
//	}
package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"

	"github.com/oneiros-zk/oneiros/plugins/svm/abi"
)

type account struct {
	Key, Owner string
	Lamports   uint64
	DataHex    string `json:"data_hex"`
	Signer     bool
	Writable   bool
	Executable bool
	DupOf      *int `json:"dup_of"`
}

type input struct {
	ProgramID string    `json:"program_id"`
	Accounts  []account `json:"accounts"`
	DataHex   string    `json:"data_hex"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: svm-input FILE.json > FILE.in")
		os.Exit(2)
	}
	out, err := build(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "svm-input:", err)
		os.Exit(2)
	}
	os.Stdout.Write(out)
}

func build(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var in input
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	pid, err := abi.ParsePubkey(in.ProgramID)
	if err != nil {
		return nil, fmt.Errorf("program_id: %w", err)
	}
	var accs []abi.Account
	for i, a := range in.Accounts {
		if a.DupOf != nil {
			accs = append(accs, abi.Account{DupOf: *a.DupOf})
			continue
		}
		acc := abi.Account{Lamports: a.Lamports, Signer: a.Signer, Writable: a.Writable, Executable: a.Executable, DupOf: -1}
		if acc.Key, err = abi.ParsePubkey(a.Key); err != nil {
			return nil, fmt.Errorf("account %d: %w", i, err)
		}
		if acc.Owner, err = abi.ParsePubkey(a.Owner); err != nil {
			return nil, fmt.Errorf("account %d: %w", i, err)
		}
		if acc.Data, err = hex.DecodeString(a.DataHex); err != nil {
			return nil, fmt.Errorf("account %d: data_hex: %w", i, err)
		}
		accs = append(accs, acc)
	}
	data, err := hex.DecodeString(in.DataHex)
	if err != nil {
		return nil, fmt.Errorf("data_hex: %w", err)
	}
	return abi.Tape(accs, data, pid)
}
