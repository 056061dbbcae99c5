package loader

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
)

// FuzzLoad feeds the loader arbitrary bytes (seeded with the shared suite's ELF files and
// the examples): it must refuse or accept them, never panic, and what it accepts must be
// consistent enough to verify and translate.
func FuzzLoad(f *testing.F) {
	for _, dir := range []string{"../../../../shared/conformance/svm/elf/programs", "../examples"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.so"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("\x7fELF"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, cfg := range []Config{
			{MinVersion: 0, MaxVersion: sbpf.MaxVersion, OptimizeRodata: true},
			{MinVersion: 0, MaxVersion: sbpf.MaxVersion, RejectBrokenELFs: true, OptimizeRodata: true},
			{MinVersion: 0, MaxVersion: sbpf.MaxVersion},
		} {
			exe, err := Load(b, cfg)
			if err != nil {
				var le *Error
				if !asError(err, &le) || le.Kind == "FailedToParse" && le.Detail != "" && le.Detail[:8] == "internal" {
					t.Fatalf("loader error %v", err)
				}
				continue
			}
			if exe.Entry < 0 || (len(exe.Text) > 0 && exe.Entry >= len(exe.Text)/sbpf.InsnSize && len(exe.Text)%sbpf.InsnSize == 0) {
				t.Fatalf("entry %d outside %d bytes of text", exe.Entry, len(exe.Text))
			}
		}
	})
}

func asError(err error, target **Error) bool {
	e, ok := err.(*Error)
	if ok {
		*target = e
	}
	return ok
}
