package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// unfinished are the temporary files of outputs being written, removed if
// the binary is stopped before it renames them into place.
var unfinished = struct {
	mu    sync.Mutex
	paths map[string]bool
}{paths: map[string]bool{}}

// writeOutput writes data to path through a temporary file in the same
// directory, renamed into place once complete: a reader, or a run stopped by a
// signal, never sees half a file. It writes nothing once ctx is done.
// checkOutput reports, before any long work, whether path can be written: not a
// directory, and its directory takes a new file (tried with a temporary one).
func checkOutput(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("is a directory")
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.check")
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

func writeOutput(ctx context.Context, path string, data []byte) error {
	if err := context.Cause(ctx); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	unfinished.mu.Lock()
	unfinished.paths[tmp] = true
	unfinished.mu.Unlock()
	defer func() {
		unfinished.mu.Lock()
		delete(unfinished.paths, tmp)
		unfinished.mu.Unlock()
		os.Remove(tmp) // gone already after the rename
	}()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = context.Cause(ctx)
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// removeUnfinished removes the temporary files of outputs not yet in place.
func removeUnfinished() {
	unfinished.mu.Lock()
	defer unfinished.mu.Unlock()
	for p := range unfinished.paths {
		os.Remove(p)
		delete(unfinished.paths, p)
	}
}
