package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/host/cli"
)

// TestBoundedReads: every file a command reads is read against a bound, so a device
// that never ends (/dev/zero) is refused at once with a message naming it, instead of
// growing the host until it is killed; and prove's output path is checked first.
func TestBoundedReads(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero on this system")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "small.yaml")
	os.WriteFile(cfg, []byte("limits:\n  max_input_bytes: 16\n"), 0o644)
	prog := filepath.Join(dir, "p.s")
	os.WriteFile(prog, []byte(".fp 0x1000\nmain: halt 0\n"), 0o644)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--config", cfg, "execute", "--isa", "asm", prog, "--input", "/dev/zero"}, 2, "larger than 16 bytes"},
		{[]string{"--config", cfg, "prove", "--isa", "asm", prog, "--input", "/dev/zero", "-o", filepath.Join(dir, "x.proof")}, 2, "larger than 16 bytes"},
		{[]string{"execute", "--isa", "asm", "/dev/zero"}, 2, "larger than"},
		{[]string{"verify", "/dev/zero"}, 1, "not a OneirOS proof file"},
		// The output path is checked before proving: a missing directory is refused at once.
		{[]string{"prove", "--isa", "asm", prog, "-o", filepath.Join(dir, "no", "such", "dir", "x.proof")}, 2, "checked before proving"},
		{[]string{"prove", "--isa", "asm", prog, "-o", dir}, 2, "is a directory"},
		{[]string{"inspect", "/dev/zero"}, 2, "not a OneirOS proof file"},
	} {
		var out, errb bytes.Buffer
		code := cli.Main(tc.args, &out, &errb)
		if code != tc.code || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("%v: exit %d (want %d), stderr %q (want %q)", tc.args, code, tc.code, errb.String(), tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.proof")); err == nil {
		t.Error("a refused prove left an output file")
	}
}
