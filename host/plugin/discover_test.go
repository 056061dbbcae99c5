package plugin

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"), mode); err != nil {
		t.Fatal(err)
	}
}

func TestDiscover(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(a, "oneiros-frontend-wasm"), 0o755)
	writeFile(t, filepath.Join(a, "oneiros-backend-cpu"), 0o755)
	writeFile(t, filepath.Join(a, "oneiros-backend-cuda"), 0o644) // not executable
	writeFile(t, filepath.Join(a, "oneiros-frontend-"), 0o755)    // no name
	writeFile(t, filepath.Join(a, "oneiros-frontend-evm.sha256"), 0o644)
	writeFile(t, filepath.Join(a, "other-tool"), 0o755)
	if err := os.Mkdir(filepath.Join(a, "oneiros-backend-dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(b, "oneiros-frontend-wasm"), 0o755) // shadowed by a's
	writeFile(t, filepath.Join(b, "oneiros-frontend-evm"), 0o755)
	if err := os.Symlink(filepath.Join(a, "oneiros-backend-cpu"), filepath.Join(b, "oneiros-backend-cpu2")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(a, "missing"), filepath.Join(b, "oneiros-backend-dangling")); err != nil {
		t.Fatal(err)
	}

	missing := filepath.Join(a, "does-not-exist")
	if _, err := Discover([]string{a, missing, b}); err == nil || err.Error() != "plugin directory "+missing+" does not exist (plugins.dirs, --plugin-dir)" {
		t.Errorf("Discover with a missing directory: %v", err)
	}
	bins, err := Discover([]string{a, b})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, bin := range bins {
		if strings.HasPrefix(bin.Path, a) || strings.HasPrefix(bin.Path, b) {
			got = append(got, string(bin.Kind)+" "+bin.Name+" "+strings.Replace(strings.Replace(bin.Path, a, "A", 1), b, "B", 1))
		}
	}
	want := []string{
		"frontend evm B/oneiros-frontend-evm",
		"frontend wasm A/oneiros-frontend-wasm",
		"backend cpu A/oneiros-backend-cpu",
		"backend cpu2 B/oneiros-backend-cpu2",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Discover found\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	if _, err := Find(bins, "wasm"); err != nil {
		t.Error(err)
	}
	if bin, err := Find(bins, "oneiros-backend-cpu"); err != nil || bin.Name != "cpu" {
		t.Errorf("Find by file name = %v, %v", bin, err)
	}
	if _, err := Find(bins, "riscv"); err == nil || err.Error() != `no plugin called "riscv"` {
		t.Errorf("Find(riscv) = %v", err)
	}
	twins := []Binary{{Kind: KindFrontend, Name: "x", Path: "/p/oneiros-frontend-x"}, {Kind: KindBackend, Name: "x", Path: "/p/oneiros-backend-x"}}
	if _, err := Find(twins, "x"); err == nil || err.Error() != `"x" is ambiguous: oneiros-frontend-x and oneiros-backend-x; say frontend/x or backend/x` {
		t.Errorf("Find(ambiguous) = %v", err)
	}
	if bin, err := Find(twins, "backend/x"); err != nil || bin.Kind != KindBackend {
		t.Errorf("Find(backend/x) = %v, %v", bin, err)
	}
}

func TestDiscoverPins(t *testing.T) {
	a := t.TempDir()
	writeFile(t, filepath.Join(a, "oneiros-backend-cpu"), 0o755)
	pin := strings.Repeat("ab", 32)
	o := Options{Dirs: []string{a}, SHA256: map[string]string{"oneiros-backend-cpu": pin}}
	if bins, err := o.Discover(); err != nil || len(bins) == 0 {
		t.Errorf("a pin for a present plugin: %v, %v", bins, err)
	}
	o.SHA256["oneiros-backend-cdua"] = pin
	_, err := o.Discover()
	if err == nil || !strings.HasPrefix(err.Error(), "plugins.sha256 pins oneiros-backend-cdua, not found in "+a+", ") ||
		!strings.HasSuffix(err.Error(), ": a pin for a missing plugin protects nothing; remove it or install the plugin") {
		t.Errorf("a pin for a missing plugin: %v", err)
	}
}

func TestSearchDirs(t *testing.T) {
	dirs := SearchDirs([]string{"/plugins", "/plugins"})
	exe, _ := os.Executable()
	exe, _ = filepath.EvalSymlinks(exe)
	bin, _ := filepath.Abs("bin")
	want := []string{"/plugins", filepath.Dir(exe), bin}
	if strings.Join(dirs, ":") != strings.Join(want, ":") {
		t.Errorf("SearchDirs = %v, want %v", dirs, want)
	}
}

func TestBinaryAt(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "oneiros-backend-text"), 0o644)
	writeFile(t, filepath.Join(dir, "random"), 0o755)
	for path, want := range map[string]string{
		filepath.Join(dir, "oneiros-backend-text"): "not an executable file",
		filepath.Join(dir, "random"):               "its name starts with neither oneiros-frontend- nor oneiros-backend-",
	} {
		if _, err := BinaryAt(path); !errors.Is(err, ErrNotPlugin) || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("BinaryAt(%s) = %v", path, err)
		}
	}
	if _, err := BinaryAt(filepath.Join(dir, "oneiros-backend-missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing binary: %v", err)
	}
}
