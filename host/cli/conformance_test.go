package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestConformanceLists: the suites still built into the host hang under the one
// conformance command (svm's and wasm's moved into their plugins: `conformance svm` is
// the generic form).
func TestConformanceLists(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main([]string{"conformance", "--help"}, &out, &errb); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, isa := range []string{"evm"} {
		if !strings.Contains(out.String(), "  "+isa) {
			t.Errorf("conformance --help does not list %s:\n%s", isa, out.String())
		}
	}
	if code := Main([]string{"conformance", "nosuch"}, &out, &errb); code != ExitBadInput {
		t.Errorf("unknown ISA: exit %d, want 2", code)
	}
}
