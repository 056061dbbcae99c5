package configs

import (
	"bytes"
	"testing"
)

func TestDefaultIsACopy(t *testing.T) {
	a := Default()
	if !bytes.HasPrefix(a, []byte("# OneirOS canonical defaults")) || !bytes.Contains(a, []byte("\nversion: 1 ")) {
		t.Fatalf("unexpected embedded file:\n%s", a)
	}
	a[0] = 'X'
	if Default()[0] != '#' {
		t.Error("Default() shares its bytes")
	}
}

func TestPresets(t *testing.T) {
	names := PresetNames()
	if len(names) < 2 || names[0] != "default" {
		t.Fatalf("presets %v", names)
	}
	for _, n := range names {
		if b, ok := Preset(n); !ok || len(b) == 0 {
			t.Fatalf("preset %s unreadable", n)
		}
	}
	for _, bad := range []string{"", "nope", "../oneiros.default", "presets/default"} {
		if _, ok := Preset(bad); ok {
			t.Fatalf("preset %q found", bad)
		}
	}
}
