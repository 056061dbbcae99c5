package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestConformanceLists: every suite is served by its plugin (protocol 1.4), so the one
// conformance command has no ISA-specific subcommand; an ISA without a plugin is bad
// input.
func TestConformanceLists(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main([]string{"conformance", "--help"}, &out, &errb); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if strings.Contains(out.String(), "Available Commands") {
		t.Errorf("conformance has subcommands:\n%s", out.String())
	}
	if code := Main([]string{"conformance", "nosuch"}, &out, &errb); code != ExitBadInput {
		t.Errorf("unknown ISA: exit %d, want 2", code)
	}
}
