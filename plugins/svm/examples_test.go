package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"os"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/plugins/svm/abi"
	"github.com/oneiros-zk/oneiros/plugins/svm/compile"
	"github.com/oneiros-zk/oneiros/plugins/svm/output"
)

func key(b byte) abi.Pubkey {
	var k abi.Pubkey
	for i := range k {
		k[i] = b + byte(i)
	}
	return k
}

// runSo compiles a .so from examples/ and runs it on input.
func runSo(t *testing.T, name string, input []byte) (*exec.Result, *output.Output, *compile.Result) {
	t.Helper()
	src, err := os.ReadFile("examples/" + name)
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(src)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	r, err := exec.Run(context.Background(), res.Program, exec.Options{Input: input, Limits: exec.Limits{MaxCycles: 1 << 26}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := output.Decode(r.Output, false)
	if err != nil {
		t.Fatalf("%s: %v (trap %v)", name, err, r.Trap)
	}
	t.Logf("%s: %d cycles, %d sBPF instructions (%.2f cycles each), status %d, r0 %d", name, r.Cycles, out.Exit.Units,
		float64(r.Cycles)/float64(out.Exit.Units), out.Exit.Status, out.Exit.R0)
	return r, out, res
}

func u64le(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }

func counterInput(t *testing.T, value, step uint64) []byte {
	prog := key(0x10)
	in, err := abi.Tape([]abi.Account{{Key: key(0x40), Owner: prog, Lamports: 1_000_000, Data: u64le(value),
		Writable: true, DupOf: -1}}, u64le(step), prog)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestCounter(t *testing.T) {
	for _, so := range []string{"counter.so", "counter_v0.so"} {
		r, out, _ := runSo(t, so, counterInput(t, 41, 1))
		if r.Trap != nil || out.Exit.Status != 0 || out.Exit.R0 != 0 {
			t.Fatalf("%s: trap %v status %d r0 %d", so, r.Trap, out.Exit.Status, out.Exit.R0)
		}
		if len(out.Accounts) != 1 || !bytes.Equal(out.Accounts[0].Data, u64le(42)) {
			t.Fatalf("%s: accounts %+v", so, out.Accounts)
		}
	}
}

func TestTransfer(t *testing.T) {
	prog, auth := key(0x10), key(0x70)
	token := func(owner abi.Pubkey, bal uint64) []byte { return append(owner[:], u64le(bal)...) }
	in, err := abi.Tape([]abi.Account{
		{Key: key(0x40), Owner: prog, Lamports: 1, Data: token(auth, 100), Writable: true, DupOf: -1},
		{Key: key(0x50), Owner: prog, Lamports: 1, Data: token(key(0x90), 5), Writable: true, DupOf: -1},
		{Key: auth, Owner: key(0), Lamports: 1, Signer: true, DupOf: -1},
	}, u64le(30), prog)
	if err != nil {
		t.Fatal(err)
	}
	r, out, _ := runSo(t, "transfer.so", in)
	if r.Trap != nil || out.Exit.Status != 0 || out.Exit.R0 != 0 {
		t.Fatalf("trap %v status %d r0 %d logs %+v", r.Trap, out.Exit.Status, out.Exit.R0, out.Logs)
	}
	if !bytes.Equal(out.Accounts[0].Data[32:], u64le(70)) || !bytes.Equal(out.Accounts[1].Data[32:], u64le(35)) {
		t.Fatalf("balances %x %x", out.Accounts[0].Data, out.Accounts[1].Data)
	}
	if out.ReturnData == nil || !bytes.Equal(out.ReturnData.Data, u64le(70)) || out.ReturnData.ProgramID != prog {
		t.Fatalf("return data %+v", out.ReturnData)
	}
	if len(out.Logs) != 4 || string(out.Logs[0].Text) != "transfer: done" || out.Logs[1].Pubkey != key(0x40) {
		t.Fatalf("logs %+v", out.Logs)
	}
}

func TestHash(t *testing.T) {
	msg := []byte("OneirOS proves sBPF: the quick brown fox jumps over the lazy dog, twice over, to pass one block.")
	in, err := abi.Tape([]abi.Account{{Key: key(0x40), Owner: key(0x10), Data: make([]byte, 64), Writable: true, DupOf: -1}},
		msg, key(0x10))
	if err != nil {
		t.Fatal(err)
	}
	r, out, _ := runSo(t, "hash.so", in)
	if r.Trap != nil || out.Exit.Status != 0 {
		t.Fatalf("trap %v status %d", r.Trap, out.Exit.Status)
	}
	sha := sha256.Sum256(msg)
	if got := out.Accounts[0].Data[:32]; !bytes.Equal(got, sha[:]) {
		t.Errorf("sha256 %x, want %x", got, sha)
	}
	k := keccak256(msg)
	if got := out.Accounts[0].Data[32:]; !bytes.Equal(got, k) {
		t.Errorf("keccak256 %x, want %x", got, k)
	}
}

// keccak256 is the original Keccak-256 (pad 0x01), as Solana's sol_keccak256 computes it.
func keccak256(msg []byte) []byte {
	var st [25]uint64
	absorb := func(block []byte) {
		for i := 0; i < 17; i++ {
			st[i] ^= binary.LittleEndian.Uint64(block[8*i:])
		}
		exec.KeccakF1600(&st)
	}
	for len(msg) >= 136 {
		absorb(msg[:136])
		msg = msg[136:]
	}
	last := make([]byte, 136)
	copy(last, msg)
	last[len(msg)] ^= 0x01
	last[135] ^= 0x80
	absorb(last)
	out := make([]byte, 32)
	for i := 0; i < 4; i++ {
		binary.LittleEndian.PutUint64(out[8*i:], st[i])
	}
	return out
}
