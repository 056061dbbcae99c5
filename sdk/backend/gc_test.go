package backend

import (
	"runtime/debug"
	"testing"
)

// TestTuneGC: without GOGC in the environment the target becomes ProverGCPercent; with
// it, the environment's value stands.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	t.Setenv("GOGC", "")
	if got := TuneGC(); got != ProverGCPercent {
		t.Fatalf("TuneGC() = %d without GOGC, want %d", got, ProverGCPercent)
	}
	if cur := debug.SetGCPercent(ProverGCPercent); cur != ProverGCPercent {
		t.Fatalf("the target is %d after TuneGC, want %d", cur, ProverGCPercent)
	}
	t.Setenv("GOGC", "150")
	debug.SetGCPercent(150) // what the runtime read from GOGC at start
	if got := TuneGC(); got != 150 {
		t.Fatalf("TuneGC() = %d with GOGC=150, want 150 (the environment's)", got)
	}
	if cur := debug.SetGCPercent(150); cur != 150 {
		t.Fatalf("TuneGC changed an environment's GOGC to %d", cur)
	}
}
