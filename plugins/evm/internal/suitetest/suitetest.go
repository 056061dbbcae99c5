// Package suitetest finds the shared Ethereum state-test suite for the plugin's tests:
// $EVM_SUITE, or ../shared/conformance/evm next to the repository. Tests skip when it
// is not there.
package suitetest

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the suite's directory (the one holding cases.json), or skips the test.
// A test runs in its package's directory, two or three levels below the plugin's
// module; the suite sits beside the repository.
func Dir(t testing.TB) string {
	t.Helper()
	dirs := []string{os.Getenv("EVM_SUITE")}
	if wd, err := os.Getwd(); err == nil {
		for d := wd; filepath.Dir(d) != d; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
				dirs = append(dirs, filepath.Join(d, "..", "shared", "conformance", "evm"))
				break
			}
		}
	}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, "cases.json")); err == nil {
			return d
		}
	}
	t.Skip("no state-test suite (set EVM_SUITE, or put it at ../shared/conformance/evm beside the repository)")
	return ""
}
