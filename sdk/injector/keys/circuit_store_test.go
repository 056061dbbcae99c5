package keys

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStoreLoadCircuit: the constraint system stored beside its keys loads back as the
// same circuit (and proves with them); another circuit's is refused at store, a
// missing file is a MissingKeysError, and a flipped byte, a truncated file or another
// circuit's file an InvalidKeysError, all naming the set-up command, none panicking.
func TestStoreLoadCircuit(t *testing.T) {
	c, id := stored(t)
	if err := c.StoreCircuit(id, compile(true)); err == nil {
		t.Fatal("stored another circuit's constraint system under id")
	}
	var missing *MissingKeysError
	if _, err := c.LoadCircuit(id); !errors.As(err, &missing) || missing.Missing != ccsFile || !strings.Contains(err.Error(), SetupCommand) {
		t.Fatalf("no ccs.bin: %v", err)
	}
	if err := (Cache{Dir: t.TempDir()}).StoreCircuit(id, testCCS()); err == nil {
		t.Fatal("stored a circuit without its keys")
	}
	if err := c.StoreCircuit(id, testCCS()); err != nil {
		t.Fatal(err)
	}
	ccs, err := c.LoadCircuit(id)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := CircuitID(ccs); got != id {
		t.Fatalf("loaded circuit %s, want %s", got, id)
	}
	pk, vk, err := c.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	proveVerify(t, ccs, pk, vk)

	dir, _ := c.Path(id)
	path := filepath.Join(dir, ccsFile)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	other, err := os.CreateTemp(t.TempDir(), "ccs")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := compile(true).WriteTo(other); err != nil {
		t.Fatal(err)
	}
	other.Close()
	otherBytes, _ := os.ReadFile(other.Name())
	for name, b := range map[string][]byte{
		"flipped":         flip(good, len(good)/2),
		"truncated":       good[:len(good)/3],
		"empty":           nil,
		"another circuit": otherBytes,
		"one more byte":   append(append([]byte(nil), good...), 0),
	} {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		var invalid *InvalidKeysError
		if _, err := c.LoadCircuit(id); !errors.As(err, &invalid) || !strings.Contains(err.Error(), SetupCommand) {
			t.Errorf("%s ccs.bin: %v", name, err)
		}
	}
}

func flip(b []byte, at int) []byte {
	out := append([]byte(nil), b...)
	out[at] ^= 0x40
	return out
}

// TestBinding: a label bound to stored keys reads back; a label without a binding is a
// MissingKeysError naming the set-up command; a binding to keys not stored is refused;
// malformed labels and files are refused.
func TestBinding(t *testing.T) {
	c, id := stored(t)
	label := LabelOf("zkvm-wrap", "machine", "params")
	if label == LabelOf("zkvm-wrap", "machine", "other params") || label == LabelOf("zkvm-wrap", "machineparams") {
		t.Fatal("LabelOf collides")
	}
	var missing *MissingKeysError
	if _, err := c.Bound(label); !errors.As(err, &missing) || !strings.Contains(err.Error(), SetupCommand) {
		t.Fatalf("no binding: %v", err)
	}
	if err := c.Bind(Binding{Label: label, CircuitID: strings.Repeat("0", 64)}); err == nil {
		t.Fatal("bound a label to keys that are not stored")
	}
	want := Binding{Label: label, CircuitID: id, NbConstraints: 7, Conjectured: 100, Provable: 59}
	if err := c.Bind(want); err != nil {
		t.Fatal(err)
	}
	got, err := c.Bound(label)
	if err != nil {
		t.Fatal(err)
	}
	if got.CircuitID != id || got.Provable != 59 || got.Conjectured != 100 || got.NbConstraints != 7 || got.Created.IsZero() {
		t.Fatalf("bound %+v", got)
	}
	for _, bad := range []string{"", ".hidden", "../escape", "UPPER", "a/b", strings.Repeat("a", 129)} {
		if _, err := c.Bound(bad); err == nil {
			t.Errorf("label %q accepted", bad)
		}
	}
	path, _ := c.labelPath(label)
	for name, body := range map[string]string{
		"not json":      "{",
		"another label": `{"label":"other","circuit_id":"` + id + `"}`,
		"bad id":        `{"label":"` + label + `","circuit_id":"xyz"}`,
		"unknown field": `{"label":"` + label + `","circuit_id":"` + id + `","x":1}`,
	} {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		var invalid *InvalidKeysError
		if _, err := c.Bound(label); !errors.As(err, &invalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
