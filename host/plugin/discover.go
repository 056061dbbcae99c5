package plugin

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Kind is the kind of a plugin.
type Kind string

// The two kinds of plugins, and the prefixes of their binaries' names.
const (
	KindFrontend Kind = "frontend"
	KindBackend  Kind = "backend"

	FrontendPrefix = "oneiros-frontend-"
	BackendPrefix  = "oneiros-backend-"
)

// Binary is a plugin executable found on disk.
type Binary struct {
	Kind Kind   // from the file name
	Name string // the file name without its prefix: "stack", "cpu"
	Path string // absolute path
}

// File is the binary's file name, e.g. "oneiros-frontend-stack": the key of
// its SHA-256 pin.
func (b Binary) File() string { return filepath.Base(b.Path) }

// ParseName tells the kind and short name of a plugin from its file name
// (a ".exe" suffix is ignored); ok is false for other names.
func ParseName(file string) (kind Kind, name string, ok bool) {
	file = strings.TrimSuffix(filepath.Base(file), ".exe")
	for _, k := range []struct {
		prefix string
		kind   Kind
	}{{FrontendPrefix, KindFrontend}, {BackendPrefix, KindBackend}} {
		if name, ok := strings.CutPrefix(file, k.prefix); ok && name != "" {
			return k.kind, name, true
		}
	}
	return "", "", false
}

// BinaryAt describes the plugin binary at path, checking that it is an
// executable regular file with a plugin's name.
func BinaryAt(path string) (Binary, error) {
	kind, _, ok := ParseName(path)
	if !ok {
		return Binary{}, fmt.Errorf("%s: %w: its name starts with neither %s nor %s", path, ErrNotPlugin, FrontendPrefix, BackendPrefix)
	}
	return BinaryAs(path, kind)
}

// BinaryAs describes the executable at path as a plugin of the given kind,
// whatever its name: for third-party binaries named otherwise.
func BinaryAs(path string, kind Kind) (Binary, error) {
	if kind != KindFrontend && kind != KindBackend {
		return Binary{}, fmt.Errorf("unknown plugin kind %q (want frontend or backend)", kind)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return Binary{}, err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return Binary{}, err
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
		return Binary{}, fmt.Errorf("%s: %w: not an executable file", path, ErrNotPlugin)
	}
	name := strings.TrimSuffix(filepath.Base(abs), ".exe")
	if _, short, ok := ParseName(abs); ok {
		name = short
	}
	return Binary{Kind: kind, Name: name, Path: abs}, nil
}

// SearchDirs is where [Discover] looks, in order: dirs, then the directory
// of the running executable, then ./bin. Duplicates are dropped.
func SearchDirs(dirs []string) []string {
	all := append([]string(nil), dirs...)
	if exe, err := os.Executable(); err == nil {
		if exe, err := filepath.EvalSymlinks(exe); err == nil {
			all = append(all, filepath.Dir(exe))
		}
	}
	all = append(all, "bin")
	var out []string
	seen := map[string]bool{}
	for _, d := range all {
		abs, err := filepath.Abs(d)
		if err != nil || seen[abs] {
			continue
		}
		seen[abs] = true
		out = append(out, abs)
	}
	return out
}

// Discover lists the plugin binaries in [SearchDirs](dirs): executable
// regular files (or links to them) named oneiros-frontend-* or
// oneiros-backend-*. When two directories hold the same file name, the first
// in search order wins. Each of dirs must be a directory (a misspelt
// --plugin-dir would otherwise go unnoticed, and another directory's plugin
// run instead); the executable's directory and ./bin may be missing. Other
// errors name the directory. The result is sorted by kind, then name.
func Discover(dirs []string) ([]Binary, error) {
	for _, d := range dirs {
		fi, err := os.Stat(d)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("plugin directory %s does not exist (plugins.dirs, --plugin-dir)", d)
		}
		if err == nil && !fi.IsDir() {
			return nil, fmt.Errorf("plugin directory %s is not a directory (plugins.dirs, --plugin-dir)", d)
		}
	}
	var found []Binary
	seen := map[string]bool{}
	for _, dir := range SearchDirs(dirs) {
		entries, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("looking for plugins in %s: %w", dir, err)
		}
		for _, e := range entries {
			if _, _, ok := ParseName(e.Name()); !ok || seen[e.Name()] {
				continue
			}
			b, err := BinaryAt(filepath.Join(dir, e.Name()))
			if err != nil {
				continue // a directory, a non-executable file, a dangling link
			}
			seen[e.Name()] = true
			found = append(found, b)
		}
	}
	sort.Slice(found, func(i, j int) bool {
		if found[i].Kind != found[j].Kind {
			return found[i].Kind > found[j].Kind // frontends first
		}
		return found[i].Name < found[j].Name
	})
	return found, nil
}

// Find returns the discovered plugin called name: its short name ("stack"),
// its file name ("oneiros-frontend-stack") or kind/name ("frontend/stack").
// A short name that both a frontend and a backend have is ambiguous.
func Find(bins []Binary, name string) (Binary, error) {
	var match []Binary
	for _, b := range bins {
		if name == b.Name || name == b.File() || name == string(b.Kind)+"/"+b.Name {
			match = append(match, b)
		}
	}
	switch len(match) {
	case 1:
		return match[0], nil
	case 0:
		return Binary{}, fmt.Errorf("no plugin called %q", name)
	}
	return Binary{}, fmt.Errorf("%q is ambiguous: %s and %s; say frontend/%s or backend/%s", name, match[0].File(), match[1].File(), name, name)
}

// Discover lists the plugins in o.Dirs, as [Discover] does, and checks that
// every pin of o.SHA256 names one of them: a pin for a plugin that is not
// there protects nothing and is most often a misspelt name.
func (o Options) Discover() ([]Binary, error) {
	bins, err := Discover(o.Dirs)
	if err != nil {
		return nil, err
	}
	if err := o.checkPins(); err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, b := range bins {
		have[b.File()] = true
	}
	var missing []string
	for name := range o.SHA256 {
		if !have[name] {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("plugins.sha256 pins %s, not found in %s: a pin for a missing plugin protects nothing; remove it or install the plugin",
			strings.Join(missing, ", "), strings.Join(SearchDirs(o.Dirs), ", "))
	}
	return bins, nil
}
