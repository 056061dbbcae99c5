package keys

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consensys/gnark/backend/groth16"
)

func testID(t *testing.T) string {
	t.Helper()
	id, err := CircuitID(testCCS())
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// stored returns a cache holding the test circuit's local keys, and its id.
func stored(t *testing.T) (Cache, string) {
	t.Helper()
	c := Cache{Dir: t.TempDir()}
	id := testID(t)
	pk, vk := testLocalKey()
	if err := c.Store(id, pk, vk, Origin{Setup: SetupLocalDev, NbConstraints: testCCS().GetNbConstraints()}); err != nil {
		t.Fatal(err)
	}
	return c, id
}

func TestCircuitID(t *testing.T) {
	a, b := testID(t), testID(t)
	again, err := CircuitID(compile(false))
	if err != nil {
		t.Fatal(err)
	}
	other, err := CircuitID(compile(true))
	if err != nil {
		t.Fatal(err)
	}
	if a != b || a != again {
		t.Errorf("the same circuit has two ids: %s, %s", a, again)
	}
	if a == other {
		t.Errorf("two circuit versions share the id %s", a)
	}
	if err := checkID(a); err != nil {
		t.Error(err)
	}
}

func TestStoreLoad(t *testing.T) {
	c, id := stored(t)
	for _, f := range []string{pkFile, vkFile, metaFile} {
		if _, err := os.Stat(filepath.Join(c.Dir, id, f)); err != nil {
			t.Errorf("layout: %v", err)
		}
	}
	if entries, _ := os.ReadDir(c.Dir); len(entries) != 1 {
		t.Errorf("cache dir holds %d entries, want the key directory only", len(entries))
	}

	pk, vk, err := c.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	_, wantVK := testLocalKey()
	if VKDigest(vk) != VKDigest(wantVK) {
		t.Error("loaded verifying key differs from the stored one")
	}
	proveVerify(t, testCCS(), pk, vk)

	meta, err := c.LoadMeta(id)
	if err != nil {
		t.Fatal(err)
	}
	if meta.CircuitID != id || meta.Setup != SetupLocalDev || meta.NbConstraints != testCCS().GetNbConstraints() ||
		meta.VKSHA256 != VKDigest(vk) || meta.Created.IsZero() {
		t.Errorf("meta = %+v", meta)
	}
	if vk2, err := c.LoadVK(id); err != nil || VKDigest(vk2) != meta.VKSHA256 {
		t.Errorf("LoadVK: %v", err)
	}

	// Storing again replaces the keys.
	pk3, vk3, err := SetupLocal(testCCS())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Store(id, pk3, vk3, Origin{Setup: SetupMPC, NbConstraints: 1}); err != nil {
		t.Fatal(err)
	}
	if _, vk, err := c.Load(id); err != nil || VKDigest(vk) != VKDigest(vk3) {
		t.Errorf("after a second Store, Load = %v, want the new keys", err)
	}
	if entries, _ := os.ReadDir(c.Dir); len(entries) != 1 {
		t.Errorf("cache dir holds %d entries after a replace, want 1", len(entries))
	}
}

func TestLoadErrors(t *testing.T) {
	otherID, err := CircuitID(compile(true))
	if err != nil {
		t.Fatal(err)
	}
	_, vkB, err := SetupLocal(testCCS())
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name    string
		load    string // id to load; the stored id when empty
		damage  func(t *testing.T, dir string)
		missing string // MissingKeysError.Missing
		invalid string // InvalidKeysError.What
	}{
		{name: "no keys for this circuit", load: otherID, missing: "key directory"},
		{name: "no meta", damage: remove(metaFile), missing: metaFile},
		{name: "no vk", damage: remove(vkFile), missing: vkFile},
		{name: "no pk", damage: remove(pkFile), missing: pkFile},
		{name: "corrupt vk", damage: flipByte(vkFile, 40), invalid: "vk.bin digest"},
		{name: "truncated vk", damage: truncate(vkFile, 100), invalid: "vk.bin digest"},
		{name: "corrupt pk", damage: flipByte(pkFile, 1000), invalid: "pk.bin digest"},
		{name: "truncated pk", damage: truncate(pkFile, 1000), invalid: "pk.bin digest"},
		{name: "empty meta", damage: truncate(metaFile, 0), invalid: metaFile},
		{name: "meta of another circuit", damage: editMeta(func(m *Meta) { m.CircuitID = otherID }), invalid: "circuit id"},
		{name: "unknown setup kind", damage: editMeta(func(m *Meta) { m.Setup = "trusted" }), invalid: metaFile},
		{name: "keys from two setups", damage: replaceKey(vkFile, vkB), invalid: "key pair"},
		// Length prefixes of 2³²-1: gnark's decoders would try to allocate
		// 256 GiB; the shape check refuses them first.
		{name: "huge K in vk", damage: rewrite(vkFile, 3*32+3*64, 0xff, 0xff, 0xff, 0xff), invalid: vkFile},
		{name: "huge A in pk", damage: rewrite(pkFile, 8+5*32+1+3*64, 0xff, 0xff, 0xff, 0xff), invalid: pkFile},
		{name: "huge domain in pk", damage: rewrite(pkFile, 0, 0, 0, 0, 0, 0x10, 0, 0, 0), invalid: pkFile},
		{name: "trailing bytes in vk", damage: rewrite(vkFile, -1, 0), invalid: vkFile},
		{name: "keys moved to another id", load: otherID, damage: func(t *testing.T, dir string) {
			if err := os.Rename(dir, filepath.Join(filepath.Dir(dir), otherID)); err != nil {
				t.Fatal(err)
			}
		}, invalid: "circuit id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, id := stored(t)
			if tc.damage != nil {
				tc.damage(t, filepath.Join(c.Dir, id))
			}
			if tc.load == "" {
				tc.load = id
			}
			_, _, err := c.Load(tc.load)
			if err == nil {
				t.Fatal("Load succeeded")
			}
			if !IsKeysError(err) || !strings.Contains(err.Error(), SetupCommand) {
				t.Errorf("error %q is not a keys error naming %q", err, SetupCommand)
			}
			var m *MissingKeysError
			var i *InvalidKeysError
			switch {
			case tc.missing != "" && !(errors.As(err, &m) && m.Missing == tc.missing):
				t.Errorf("error %q, want a MissingKeysError for %s", err, tc.missing)
			case tc.invalid != "" && !(errors.As(err, &i) && i.What == tc.invalid):
				t.Errorf("error %q, want an InvalidKeysError for %s", err, tc.invalid)
			}
			t.Log(err)
		})
	}
}

func TestLoadRejectsBadID(t *testing.T) {
	c := Cache{Dir: t.TempDir()}
	for _, id := range []string{"", "../../etc", strings.Repeat("A", 64), strings.Repeat("0", 63)} {
		if _, _, err := c.Load(id); err == nil || IsKeysError(err) {
			t.Errorf("Load(%q) = %v, want an invalid-id error", id, err)
		}
	}
}

func TestDefaultDir(t *testing.T) {
	t.Setenv("HOME", "/home/u")
	for _, tc := range []struct{ xdg, want string }{
		{"", "/home/u/.cache/oneiros/wrap"},
		{"/var/cache", "/var/cache/oneiros/wrap"},
		{"relative", "/home/u/.cache/oneiros/wrap"},
	} {
		t.Setenv("XDG_CACHE_HOME", tc.xdg)
		if got, err := DefaultDir(); err != nil || got != tc.want {
			t.Errorf("XDG_CACHE_HOME=%q: DefaultDir() = %q, %v; want %q", tc.xdg, got, err, tc.want)
		}
	}
}

func remove(name string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
}

func flipByte(name string, at int) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		b[at] ^= 0x01
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func truncate(name string, size int64) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.Truncate(filepath.Join(dir, name), size); err != nil {
			t.Fatal(err)
		}
	}
}

// rewrite writes b at offset at of a key file (at -1 appends), and records
// the file's new digest in meta.json, so that the bytes reach the decoder.
func rewrite(name string, at int, b ...byte) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if at < 0 {
			data = append(data, b...)
		} else {
			copy(data[at:], b)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		editMeta(func(m *Meta) {
			if name == vkFile {
				m.VKSHA256 = hex.EncodeToString(sum[:])
			} else {
				m.PKSHA256 = hex.EncodeToString(sum[:])
			}
		})(t, dir)
	}
}

func editMeta(edit func(*Meta)) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		path := filepath.Join(dir, metaFile)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var m Meta
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		edit(&m)
		if b, err = json.Marshal(m); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// replaceKey writes another verifying key in place of vk.bin and updates the
// digest in meta.json, as a careless copy between two setups would.
func replaceKey(name string, vk groth16.VerifyingKey) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := vk.WriteTo(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
		editMeta(func(m *Meta) { m.VKSHA256 = VKDigest(vk) })(t, dir)
	}
}

// TestStoreConcurrent stores several key pairs for one id at once while
// loading: a load sees one whole pair or, while a directory is swapped, none;
// never a mix of two.
func TestStoreConcurrent(t *testing.T) {
	c := Cache{Dir: t.TempDir()}
	id := testID(t)
	type pair struct {
		pk groth16.ProvingKey
		vk groth16.VerifyingKey
	}
	pairs := make([]pair, 3)
	for i := range pairs {
		pk, vk, err := SetupLocal(testCCS())
		if err != nil {
			t.Fatal(err)
		}
		pairs[i] = pair{pk, vk}
	}
	if err := c.Store(id, pairs[0].pk, pairs[0].vk, Origin{Setup: SetupLocalDev}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	for _, p := range pairs {
		go func() {
			var err error
			for range 5 {
				if err = c.Store(id, p.pk, p.vk, Origin{Setup: SetupLocalDev}); err != nil {
					break
				}
			}
			done <- err
		}()
	}
	for running := len(pairs); running > 0; {
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Store: %v", err)
			}
			running--
		default:
			if _, _, err := c.Load(id); err != nil {
				var m *MissingKeysError
				if (!errors.As(err, &m) || m.Missing != "key directory") && !t.Failed() {
					t.Errorf("Load during Store: %v", err) // once; the writers must finish
				}
			}
		}
	}
	if _, _, err := c.Load(id); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(c.Dir); len(entries) != 1 {
		t.Errorf("cache dir holds %d entries, want 1", len(entries))
	}
}
