package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/oneiros-zk/oneiros/proving/hash"
)

// A work directory holds one run's work while it is proven: a manifest naming the run,
// each finished segment's proof (seg-NNNNNN.proof), and the records of segments that
// wait for their proof (seg-NNNNNN.rec). Files are written whole, then renamed into
// place: a crash leaves a segment's proof absent or complete, never half written.

const manifestName = "run.json"

// runKey names everything a segment proof depends on: the zkVM's tables (the OneirOS
// version that proves), the engine parameters, the program, the input, the claim's
// context and the segment size. Two runs with the same key have the same segments and
// the same proofs.
type runKey struct {
	Format    int    `json:"format"`
	Machine   string `json:"machine"`
	Params    string `json:"params"`
	ProgramID string `json:"program_id"`
	Input     string `json:"input_digest"`
	Context   string `json:"context"`
	Capacity  uint64 `json:"segment_capacity"`
	Catalogue string `json:"catalogue,omitempty"` // the catalogue's ID when segments are cut by one (segments.shapes)
}

const workFormat = 1

func (k runKey) digest() hash.Digest {
	b, _ := json.Marshal(k)
	return hash.Tagged("oneiros/workdir/v1", b)
}

// DefaultWorkDir is the directory where a run with this key works when Request.WorkDir
// is empty: under the user's cache directory (the system's temporary directory when
// there is none).
func DefaultWorkDir(key hash.Digest) string {
	base, err := os.UserCacheDir()
	if err != nil || base == "" {
		base = os.TempDir()
	}
	return filepath.Join(base, "oneiros", "work", key.String()[:32])
}

type workDir struct {
	dir  string
	lock *os.File // held (flock) while the run uses the directory
}

// ErrWorkDirBusy is returned for a work directory another prove is using.
var ErrWorkDirBusy = errors.New("work directory in use by another prove")

// openWorkDir prepares dir for the run: it creates it, or keeps the segment proofs of an
// earlier attempt at the same run, or empties it of another run's work (warn says so).
func openWorkDir(dir string, key runKey, warn func(string)) (*workDir, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("work directory %s: %w", dir, err)
	}
	w := &workDir{dir: dir}
	lock, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("work directory %s: %w", dir, err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		return nil, fmt.Errorf("%w: %s", ErrWorkDirBusy, dir)
	}
	w.lock = lock
	want, _ := json.MarshalIndent(key, "", "  ")
	have, err := os.ReadFile(filepath.Join(dir, manifestName))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if n := w.segmentFiles(); n > 0 {
			warn(fmt.Sprintf("work directory %s holds %d segment files without a manifest: ignored and removed", dir, n))
			w.clear()
		}
	case err != nil:
		return nil, fmt.Errorf("work directory %s: %w", dir, err)
	case string(have) != string(want):
		var other runKey
		why := "an unreadable manifest"
		if json.Unmarshal(have, &other) == nil {
			why = describeMismatch(other, key)
		}
		warn(fmt.Sprintf("work directory %s holds another run's work (%s): ignored and removed, never mixed in", dir, why))
		w.clear()
	}
	if err := writeAtomic(filepath.Join(dir, manifestName), want); err != nil {
		return nil, fmt.Errorf("work directory %s: %w", dir, err)
	}
	return w, nil
}

func describeMismatch(have, want runKey) string {
	switch {
	case have.Format != want.Format:
		return fmt.Sprintf("work format %d, this OneirOS writes %d", have.Format, want.Format)
	case have.Machine != want.Machine:
		return "another OneirOS version's zkVM tables"
	case have.ProgramID != want.ProgramID:
		return "program " + have.ProgramID
	case have.Input != want.Input:
		return "another input"
	case have.Params != want.Params:
		return "other engine parameters"
	case have.Capacity != want.Capacity:
		return fmt.Sprintf("segments of %d cycles, not %d", have.Capacity, want.Capacity)
	}
	return "another claim context"
}

func (w *workDir) segmentFiles() int {
	ents, _ := os.ReadDir(w.dir)
	n := 0
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "seg-") {
			n++
		}
	}
	return n
}

func (w *workDir) clear() {
	ents, _ := os.ReadDir(w.dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "seg-") || e.Name() == manifestName {
			os.Remove(filepath.Join(w.dir, e.Name()))
		}
	}
}

func (w *workDir) proofPath(i int) string {
	return filepath.Join(w.dir, fmt.Sprintf("seg-%06d.proof", i))
}
func (w *workDir) recordsPath(i int) string {
	return filepath.Join(w.dir, fmt.Sprintf("seg-%06d.rec", i))
}

// release lets another prove use the directory.
func (w *workDir) release() {
	if w.lock != nil {
		w.lock.Close()
		w.lock = nil
	}
}

// remove deletes the work directory's files and, when it is then empty, the directory.
func (w *workDir) remove() {
	w.clear()
	os.Remove(filepath.Join(w.dir, "lock"))
	w.release()
	os.Remove(w.dir)
}

// writeAtomic writes b to a temporary file beside path and renames it into place.
func writeAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), path)
}
