package translate

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/oneiros-zk/oneiros/plugins/evm/container"
)

// FuzzTranslate translates arbitrary code (as the recipient's and as a creation's init
// code): it must always give a valid program.
func FuzzTranslate(f *testing.F) {
	for _, s := range []string{"", "00", "5b600056", "60", "7f", "6004565b", "f0f5", "5f5f5ff3"} {
		b, _ := container.ParseHex("0x" + s)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, code []byte) {
		if len(code) > 4096 {
			return
		}
		c := hostileContainer(t, hostile{code: hexOf(code)})
		if _, err := Build(c); err != nil {
			t.Fatal(err)
		}
		c.Tx.To, c.Tx.Data = nil, code
		if _, err := Build(c); err != nil {
			t.Fatal(err)
		}
	})
}

// TestKeccakRoutine checks the runtime's Keccak-256 (through SHA3) on every length
// around the block boundaries, against sdk/evm.Keccak256.
func TestKeccakRoutine(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 4, 5, 31, 32, 33, 63, 64, 131, 132, 133, 134, 135, 136, 137, 139, 140, 271, 272, 273, 300} {
		// CALLDATACOPY(0, 0, n); SHA3(0, n); MSTORE(0); RETURN(0, 32)
		code := []byte{0x61, byte(n >> 8), byte(n), 0x5f, 0x5f, 0x37, 0x61, byte(n >> 8), byte(n), 0x5f, 0x20, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3}
		c := hostileContainer(t, hostile{code: hexOf(code)})
		data := make([]byte, n)
		for k := range data {
			data[k] = byte(k*13 + 7)
		}
		c.Tx.Data = data
		out, _, _ := runContainer(t, c, nil)
		want := container.Keccak256(data)
		if string(out.ReturnData) != string(want[:]) {
			t.Fatalf("%d bytes: %x, want %x", n, out.ReturnData, want)
		}
	}
}

// TestDeterministic: the same container gives the same program (and program_id) every
// time, so that a verifier can derive it again.
func TestDeterministic(t *testing.T) {
	for _, name := range []string{"token_transfer", "token_deploy"} {
		src, err := os.ReadFile(filepath.Join(examplesDir, name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		c := mustParse(t, string(src))
		for n := range 300 {
			c.Env.BlockHashes[uint64(n)] = container.Word{31: byte(n)}
		}
		a, err := Build(c)
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			b, _ := Build(c)
			if a.Program.ID() != b.Program.ID() {
				t.Fatalf("%s: two translations differ", name)
			}
		}
	}
}
