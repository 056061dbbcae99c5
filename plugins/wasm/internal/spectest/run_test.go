package spectest

import (
	"os"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/plugins/wasm/internal/suite"
)

func TestSuite(t *testing.T) {
	dir := suite.Dir()
	if dir == "" {
		t.Skip("no conformance suite")
	}
	files, err := suite.Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	only := os.Getenv("WASM_SUITE_ONLY")
	var p, f, s int
	for _, file := range files {
		if only != "" && !strings.Contains(","+only+",", ","+file.Name+",") && !strings.Contains(","+only+",", ","+file.Group+",") {
			continue
		}
		r, err := Run(file)
		if err != nil {
			t.Errorf("%s: %v", file.Name, err)
			continue
		}
		p, f, s = p+r.Passed, f+r.Failed, s+r.Skipped
		t.Logf("%-14s %-18s passed %4d failed %4d skipped %4d cycles %9d wasm %9d / %9d = %.2f", file.Group, file.Name, r.Passed, r.Failed, r.Skipped, r.Cycles,
			r.WasmCycles, r.WasmInstrs, float64(r.WasmCycles)/float64(max(r.WasmInstrs, 1)))
		for i, m := range r.Failures {
			if i >= 10 {
				t.Logf("   … %d more", len(r.Failures)-10)
				break
			}
			t.Errorf("   %s", m)
		}
	}
	t.Logf("total passed %d failed %d skipped %d", p, f, s)
}
