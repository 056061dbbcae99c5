package pipeline

import (
	"errors"
	"strings"
	"testing"
)

// TestWorkDirLockedAndForeignWorkRemoved: a work directory in use by another prove is
// refused; once released, opening it for another run empties it with a warning naming
// the difference.
func TestWorkDirLockedAndForeignWorkRemoved(t *testing.T) {
	dir := t.TempDir()
	key := runKey{Format: workFormat, Machine: "m", ProgramID: "p", Input: "i", Capacity: 1023}
	var warnings []string
	warn := func(s string) { warnings = append(warnings, s) }
	w, err := openWorkDir(dir, key, warn)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeAtomic(w.proofPath(0), []byte("proof")); err != nil {
		t.Fatal(err)
	}
	if _, err := openWorkDir(dir, key, warn); !errors.Is(err, ErrWorkDirBusy) {
		t.Fatalf("a locked work directory opened again: %v", err)
	}
	w.release()
	other := key
	other.Input = "j"
	w2, err := openWorkDir(dir, other, warn)
	if err != nil {
		t.Fatal(err)
	}
	defer w2.release()
	if w2.segmentFiles() != 0 || len(warnings) != 1 || !strings.Contains(warnings[0], "another run's work (another input)") {
		t.Errorf("files %d, warnings %q", w2.segmentFiles(), warnings)
	}
}
