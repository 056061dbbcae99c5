package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestConformanceLists: every ISA's suite hangs under the one conformance command.
func TestConformanceLists(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main([]string{"conformance", "--help"}, &out, &errb); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, isa := range []string{"evm", "svm", "wasm"} {
		if !strings.Contains(out.String(), "  "+isa) {
			t.Errorf("conformance --help does not list %s:\n%s", isa, out.String())
		}
	}
	if code := Main([]string{"conformance", "nosuch"}, &out, &errb); code != ExitBadInput {
		t.Errorf("unknown ISA: exit %d, want 2", code)
	}
}
