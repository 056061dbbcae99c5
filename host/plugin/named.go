package plugin

import (
	"context"
	"errors"
	"fmt"
)

// ErrNotFound reports that no plugin of the asked kind and name was discovered.
var ErrNotFound = errors.New("plugin not found")

// LaunchNamed discovers the plugins in opts.Dirs and launches the one of the given kind
// and short name (oneiros-<kind>-<name>). A missing plugin is an error wrapping
// ErrNotFound that names the directories searched and the plugins of that kind found.
func LaunchNamed(ctx context.Context, opts Options, kind Kind, name string) (*Plugin, error) {
	bins, err := opts.Discover()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, b := range bins {
		if b.Kind != kind {
			continue
		}
		if b.Name == name {
			return Launch(ctx, b, opts)
		}
		names = append(names, b.Name)
	}
	return nil, fmt.Errorf("%w: no %s plugin %q (oneiros-%s-%s) in %v; found %v (build it with make plugins, or pass --plugin-dir)",
		ErrNotFound, kind, name, kind, name, SearchDirs(opts.Dirs), names)
}
