package keys

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
)

// FuzzLoad feeds Load arbitrary meta.json, vk.bin and pk.bin bytes. With fix
// set, meta.json is rewritten to name the right circuit and the files' true
// digests, so that the bytes reach the key decoders. Load must return a keys
// error or keys, and never panic or exhaust memory.
//
//	go test -run '^$' -fuzz FuzzLoad -fuzztime 60s ./sdk/injector/keys/
func FuzzLoad(f *testing.F) {
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, new(cubicCircuit))
	if err != nil {
		f.Fatal(err)
	}
	id, err := CircuitID(ccs)
	if err != nil {
		f.Fatal(err)
	}
	pk, vk, err := SetupLocal(ccs)
	if err != nil {
		f.Fatal(err)
	}
	seed := Cache{Dir: f.TempDir()}
	if err := seed.Store(id, pk, vk, Origin{Setup: SetupLocalDev, NbConstraints: ccs.GetNbConstraints()}); err != nil {
		f.Fatal(err)
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(seed.Dir, id, name))
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	meta, vkb, pkb := read(metaFile), read(vkFile), read(pkFile)
	f.Add(meta, vkb, pkb, false)
	f.Add(meta, vkb, pkb, true)
	f.Add(meta, vkb[:len(vkb)/2], pkb, true)
	f.Add(meta, vkb, pkb[:len(pkb)/2], true)
	f.Add(meta, vkb[:len(vkb)-1], pkb[:len(pkb)-1], true)
	f.Add([]byte(`{"format":1}`), vkb, pkb, false)
	f.Add([]byte{}, []byte{}, []byte{}, true)
	// A slice length prefix of 2³²-1 where K's length is.
	huge := append([]byte(nil), vkb...)
	k := 3*32 + 3*64
	copy(huge[k:], []byte{0xff, 0xff, 0xff, 0xff})
	f.Add(meta, huge, pkb, true)

	f.Fuzz(func(t *testing.T, meta, vkb, pkb []byte, fix bool) {
		c := Cache{Dir: t.TempDir()}
		dir := filepath.Join(c.Dir, id)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if fix {
			var m Meta
			if json.Unmarshal(meta, &m) != nil {
				m = Meta{Format: metaFormat, Setup: SetupLocalDev}
			}
			m.CircuitID = id
			v, p := sha256.Sum256(vkb), sha256.Sum256(pkb)
			m.VKSHA256, m.PKSHA256 = hex.EncodeToString(v[:]), hex.EncodeToString(p[:])
			meta, _ = json.Marshal(m)
		}
		for name, b := range map[string][]byte{metaFile: meta, vkFile: vkb, pkFile: pkb} {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		pk, vk, err := c.Load(id)
		if err != nil {
			if !IsKeysError(err) {
				t.Fatalf("Load returned an untyped error: %v", err)
			}
			return
		}
		if pk == nil || vk == nil {
			t.Fatal("Load returned nil keys and no error")
		}
		_ = VKDigest(vk)
		if _, err := SolidityConstants(vk); err != nil {
			t.Fatalf("a loaded key has no Solidity constants: %v", err)
		}
	})
}
