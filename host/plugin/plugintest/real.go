package plugintest

// The real plugins: tests that run the repository's frontends and backends as the real
// processes a user runs build them with Binaries (or BinariesInto, once per package) and
// prove with FastConfig.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/oneiros-zk/oneiros/sdk/config"
)

// Binary is a binary to build: its file name in the plugin directory and its package.
type Binary struct{ Name, Package string }

// CPUBackend is the CPU backend, oneiros-backend-cpu.
var CPUBackend = Binary{"oneiros-backend-cpu", "github.com/oneiros-zk/oneiros/backends/cpu"}

// Oneiros is the oneiros command itself.
var Oneiros = Binary{"oneiros", "github.com/oneiros-zk/oneiros/host/cmd/oneiros"}

// Frontend is the frontend plugin of an ISA, oneiros-frontend-<isa>, built from pkg.
func Frontend(isa, pkg string) Binary { return Binary{"oneiros-frontend-" + isa, pkg} }

// Binaries builds the binaries (CGO_ENABLED=0, the environment's GOEXPERIMENT and build
// flags) into a temporary directory that the test removes, and returns it.
func Binaries(t testing.TB, bins ...Binary) string {
	t.Helper()
	dir := t.TempDir()
	if err := BinariesInto(dir, bins...); err != nil {
		t.Fatal(err)
	}
	return dir
}

// BinariesInto builds the binaries into dir, for a package that builds them once for all
// its tests (in TestMain, or behind a sync.Once).
func BinariesInto(dir string, bins ...Binary) error {
	for _, b := range bins {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, b.Name), b.Package)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("building %s from %s: %v\n%s", b.Name, b.Package, err, out)
		}
	}
	return nil
}

// FastYAML is FastConfig's settings as a configuration file's text.
const FastYAML = "engine:\n  num_queries: 24\n  min_security_bits: 30\n  min_provable_bits: 0\n"

// FastConfig is the embedded default configuration with 24 FRI queries and the
// verifier's floors lowered to match: proofs in a fraction of the time, far from the
// default security. For tests only.
func FastConfig(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Engine.NumQueries, cfg.Engine.MinSecurityBits, cfg.Engine.MinProvableBits = 24, 30, 0
	return cfg
}
