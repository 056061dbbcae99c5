package verify

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// CatalogueCache keeps the leaf refs of the machine's catalogue of segment shapes on
// disk (core/machine.CatalogueStore): making them sets up every shape's leaf program
// (minutes at the production parameters), after which aggregating or verifying a run
// cut by the catalogue sets up only the leaves it uses, and its vk_root
// (machine.CatalogueRoot) is read in seconds. One file per key
// (machine.CatalogueKey: the catalogue, the machine, both engines' parameters, the
// recursion verifier's code), under Dir.
//
// # Security
//
// The refs are the allowlist's entries: a verifier that reads them trusts the cache
// directory as it trusts the wrap keys' (sdk/injector/keys). A run's own leaves are
// checked against them when it is aggregated; a contract pins the root printed by
// `oneiros aggregate --catalogue-root`, computed where the catalogue was set up.
type CatalogueCache struct {
	Dir string // empty: DefaultCatalogueDir
}

// DefaultCatalogueDir is ${XDG_CACHE_HOME:-$HOME/.cache}/oneiros/catalogue.
func DefaultCatalogueDir() (string, error) {
	base := os.Getenv("XDG_CACHE_HOME")
	if !filepath.IsAbs(base) {
		home := os.Getenv("HOME")
		if home == "" {
			return "", errors.New("neither $XDG_CACHE_HOME nor $HOME is set")
		}
		base = filepath.Join(home, ".cache")
	}
	return filepath.Join(base, "oneiros", "catalogue"), nil
}

func (c CatalogueCache) path(key string) (string, error) {
	if key == "" || strings.ContainsAny(key, `/\.`) || len(key) > 128 {
		return "", fmt.Errorf("catalogue cache: a malformed key %q", key)
	}
	dir := c.Dir
	if dir == "" {
		d, err := DefaultCatalogueDir()
		if err != nil {
			return "", fmt.Errorf("catalogue cache: %w", err)
		}
		dir = d
	}
	return filepath.Join(dir, key+".refs"), nil
}

// Load reads the refs kept under key.
func (c CatalogueCache) Load(key string) ([]byte, error) {
	p, err := c.path(key)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(p)
}

// Store keeps refs under key (written to a temporary file and renamed: a reader never
// sees a partial file).
func (c CatalogueCache) Store(key string, b []byte) error {
	p, err := c.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-refs-*")
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), p)
}
