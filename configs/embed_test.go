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
