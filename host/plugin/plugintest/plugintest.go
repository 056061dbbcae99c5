package plugintest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// The fixtures, by file name, and the package under host/plugin/testdata
// each is built from. Several names share a package that picks its
// behaviour from its own name.
var fixtures = map[string]string{
	"oneiros-frontend-minimal":            "frontend-minimal",
	"oneiros-backend-minimal":             "backend-minimal",
	"oneiros-frontend-crasher":            "crasher",
	"oneiros-frontend-hang":               "hanger",
	"oneiros-frontend-hang-start":         "hanger",
	"oneiros-frontend-major2":             "major2",
	"oneiros-frontend-garbage":            "garbage",
	"oneiros-frontend-malformed-oversize": "malformed",
	"oneiros-frontend-malformed-order":    "malformed",
	"oneiros-frontend-malformed-noresult": "malformed",
	"oneiros-frontend-malformed-notproto": "malformed",
	"oneiros-backend-busy":                "busy",
}

// scripts are the fixtures that are shell scripts, by file name, and their
// file under host/plugin/testdata/scripts.
var scripts = map[string]string{
	"oneiros-frontend-fork":        "forker.sh",
	"oneiros-frontend-fork-exit":   "forker.sh",
	"oneiros-frontend-fork-escape": "forker.sh",
}

var (
	once     sync.Once
	dir      string
	buildErr error
)

// Dir builds every fixture (once per test binary) and returns the directory
// holding them, or fails t. Call [Cleanup] from TestMain; packages without
// a TestMain of their own use [Fresh].
func Dir(t testing.TB) string {
	t.Helper()
	once.Do(func() { dir, buildErr = build() })
	if buildErr != nil {
		t.Fatalf("building the test plugins: %v", buildErr)
	}
	return dir
}

// Path is the path of the fixture called name (see the package doc).
func Path(t testing.TB, name string) string {
	t.Helper()
	_, isScript := scripts[name]
	if _, ok := fixtures[name]; !ok && !isScript {
		t.Fatalf("plugintest: no fixture called %q", name)
	}
	return filepath.Join(Dir(t), name)
}

// Fresh builds every fixture into t.TempDir and returns that directory,
// which goes away with t: for a package that runs its plugin tests as
// subtests of one test and has no TestMain to call [Cleanup] from.
func Fresh(t testing.TB) string {
	t.Helper()
	d := t.TempDir()
	if err := buildInto(d); err != nil {
		t.Fatalf("building the test plugins: %v", err)
	}
	return d
}

// Cleanup removes the fixtures; call it from TestMain after m.Run.
func Cleanup() {
	if dir != "" {
		os.RemoveAll(dir)
	}
}

func build() (string, error) {
	out, err := os.MkdirTemp("", "oneiros-plugintest-")
	if err != nil {
		return "", err
	}
	if err := buildInto(out); err != nil {
		os.RemoveAll(out)
		return "", err
	}
	return out, nil
}

// buildInto builds the fixtures into out/build and links their names in out.
func buildInto(out string) error {
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		return fmt.Errorf("cannot locate host/plugin/testdata")
	}
	testdata := filepath.Join(filepath.Dir(self), "..", "testdata")
	pkgs := map[string]bool{}
	for _, pkg := range fixtures {
		pkgs[pkg] = true
	}
	args := []string{"build", "-o", filepath.Join(out, "build") + string(filepath.Separator)}
	for pkg := range pkgs {
		args = append(args, "./"+pkg)
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = testdata
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, msg)
	}
	for name, pkg := range fixtures {
		// Hard links: one copy on disk, and each name is its own file for
		// discovery and pinning.
		if err := os.Link(filepath.Join(out, "build", pkg), filepath.Join(out, name)); err != nil {
			return err
		}
	}
	for name, file := range scripts {
		b, err := os.ReadFile(filepath.Join(testdata, "scripts", file))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, name), b, 0o755); err != nil {
			return err
		}
	}
	return nil
}
