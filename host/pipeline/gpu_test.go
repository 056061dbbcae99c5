package pipeline

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestGPUDriver: auto asks the cuda backend only where a driver path exists, and names
// the paths it looked for where none does.
func TestGPUDriver(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("gpuDriver reads Linux paths; elsewhere it always asks the cuda backend")
	}
	saved := gpuDriverPaths
	t.Cleanup(func() { gpuDriverPaths = saved })
	dir := t.TempDir()
	gpuDriverPaths = []string{filepath.Join(dir, "nvidiactl"), filepath.Join(dir, "dxg")}
	if p, ok := gpuDriver(); ok || !strings.Contains(p, "nvidiactl") || !strings.Contains(p, "dxg") {
		t.Fatalf("no driver path exists: gpuDriver = %q, %v", p, ok)
	}
	if err := os.WriteFile(gpuDriverPaths[1], nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if p, ok := gpuDriver(); !ok || p != gpuDriverPaths[1] {
		t.Fatalf("a driver path exists: gpuDriver = %q, %v", p, ok)
	}
}
